"""The steps a new interviewer takes before going live, declared once: the onboarding page, the
dashboard's completeness and the go-live check all read this list.

Other apps add the steps they own with `step_register` from their AppConfig.ready(); the
payout details step (PAYOUT_DETAILS) belongs to the earnings app. Until a step is registered
under that key, onboarding shows it as not yet available and does not wait for it.
"""

import dataclasses
from collections.abc import Callable

from django.conf import settings

from mockri.catalogue.models import InterviewerProfile

PAYOUT_DETAILS = "payout_details"


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    title: str
    summary: str
    # Where the interviewer completes it (a URL name taking no arguments); "" for none.
    url_name: str
    is_done: Callable[[InterviewerProfile], bool]
    # Optional steps count towards completeness but never hold back going live.
    required: bool = True


def profile_is_complete(profile: InterviewerProfile) -> bool:
    """What a candidate needs to choose someone: a headline, a bio, where they worked, their
    level, and the languages and interview types they take. The photo is recommended only."""
    return bool(
        profile.headline.strip()
        and profile.bio.strip()
        and profile.past_roles
        and profile.seniority
        and profile.languages.exists()
        and profile.interview_types.filter(is_active=True).exists()
    )


def _has_weekly_hours(profile: InterviewerProfile) -> bool:
    return profile.weekly_availability.exists()


def _has_photo(profile: InterviewerProfile) -> bool:
    return bool(profile.photo)


def _calendar_step() -> Step | None:
    """Only where the meeting provider has something per interviewer to set or to know."""
    if settings.MEETING_PROVIDER == "calcom":
        return Step(
            key="calendar",
            title="Calendar",
            summary="Optionally, host your sessions on your own Cal.com event type.",
            url_name="interviewers:calendar",
            is_done=lambda profile: profile.calcom_event_type_id is not None,
            required=False,
        )
    if settings.MEETING_PROVIDER == "google":
        return Step(
            key="calendar",
            title="Calendar",
            summary="Sessions arrive as Google Calendar invitations to your email address.",
            url_name="interviewers:calendar",
            is_done=lambda profile: True,
            required=False,
        )
    return None


_registered: dict[str, Step] = {}


def step_register(step: Step) -> None:
    """Add or replace a step owned by another app, e.g. the earnings app's
    Step(key=PAYOUT_DETAILS, url_name="earnings:payout_details", is_done=...)."""
    _registered[step.key] = step


def _payout_step() -> Step:
    return _registered.get(PAYOUT_DETAILS) or Step(
        key=PAYOUT_DETAILS,
        title="Payout details",
        summary="Where we send your earnings. Not available yet: we will ask you later.",
        url_name="",
        is_done=lambda profile: False,
        required=False,
    )


def onboarding_steps() -> list[Step]:
    """Every step, in the order an interviewer takes them; going live comes after them all."""
    steps = [
        Step(
            key="profile",
            title="Your profile",
            summary="Headline, bio, companies, level, languages and the interviews you take.",
            url_name="interviewers:profile_edit",
            is_done=profile_is_complete,
        ),
        Step(
            key="photo",
            title="Photo",
            summary="A clear photo of your face; candidates choose people they can picture.",
            url_name="interviewers:profile_edit",
            is_done=_has_photo,
            required=False,
        ),
        Step(
            key="hours",
            title="Weekly hours",
            summary="When candidates can book you, in your own time zone.",
            url_name="scheduling:availability",
            is_done=_has_weekly_hours,
        ),
    ]
    if calendar := _calendar_step():
        steps.append(calendar)
    steps.append(_payout_step())
    steps.extend(step for key, step in _registered.items() if key != PAYOUT_DETAILS)
    return steps


@dataclasses.dataclass(frozen=True)
class StepState:
    step: Step
    done: bool


@dataclasses.dataclass(frozen=True)
class Progress:
    steps: list[StepState]

    @property
    def done_count(self) -> int:
        return sum(state.done for state in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.steps)) if self.steps else 100

    @property
    def missing_required(self) -> list[Step]:
        return [state.step for state in self.steps if state.step.required and not state.done]

    @property
    def can_go_live(self) -> bool:
        return not self.missing_required


def onboarding_progress(profile: InterviewerProfile) -> Progress:
    """Each step with whether it is done (a query or two per step)."""
    return Progress([StepState(step, step.is_done(profile)) for step in onboarding_steps()])
