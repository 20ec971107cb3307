"""The preparation plan: practice sessions worked back from the date of a real interview.

Pure functions over plain data, like the slot engine: `selectors.preparation_plan` loads the open
slots, the candidate's sessions and how well each interviewer matches, and calls `plan_propose`.
Nothing is stored: the plan is computed on every view, so it follows a moved date, a session
booked or a session cancelled by itself.

How a plan is laid out:
- The last session ends at least LAST_SESSION_GAP before the interview day begins (midnight in
  the candidate's zone), leaving time to rest and to read the feedback.
- One session per interview type of the candidate's target role. A type with a session booked
  (or held, or already taken) in the weeks before the interview is a done part of the plan.
- The time up to the deadline, starting at most SPACING per session before it (a plan for an
  interview months away starts a few weeks before it, not today), is cut into one equal part per
  session. A booked session takes the part it falls in; the sessions still to book take the
  parts left, in order. In its part a session takes the best-matching interviewer's earliest
  time; with none there, the free time nearest to its part, still within the plan's weeks. Two
  sessions never share a day, and none overlaps another session of the candidate.
"""

import dataclasses
import datetime
import enum
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

LAST_SESSION_GAP = datetime.timedelta(days=2)
SPACING = datetime.timedelta(days=7)


class Verdict(enum.StrEnum):
    PASSED = "passed"  # the interview date is behind us
    TOO_LATE = "too_late"  # no time is left before the deadline
    TIGHT = "tight"  # some sessions of the plan no longer fit
    ON_TRACK = "on_track"  # every session is booked, suggested or opens later


class StepStatus(enum.StrEnum):
    BOOKED = "booked"  # a session of the type is booked, held or taken: a done part
    SUGGESTED = "suggested"  # a free time with an interviewer, to book
    OPENS_LATER = "opens_later"  # its part of the plan is beyond the interviewers' horizon
    NO_TIME = "no_time"  # no interviewer is free before the deadline


@dataclasses.dataclass(frozen=True, order=True)
class Opening:
    """A free time of one interviewer for one type (a slot engine slot)."""

    start: datetime.datetime
    end: datetime.datetime
    interviewer_id: int


@dataclasses.dataclass(frozen=True)
class Session:
    """A session the candidate has of a type: booked, held or taken."""

    booking_id: int
    start: datetime.datetime
    end: datetime.datetime


@dataclasses.dataclass(frozen=True)
class StepInput:
    type_id: int
    openings: tuple[Opening, ...]
    booked: Session | None = None
    # The latest start any interviewer of the type takes bookings for (their horizon), or None
    # when nobody offers it.
    bookable_until: datetime.datetime | None = None


@dataclasses.dataclass(frozen=True)
class PlanStep:
    type_id: int
    status: StepStatus
    booked: Session | None = None
    opening: Opening | None = None
    opens_at: datetime.datetime | None = None  # OPENS_LATER: when its times can be booked


@dataclasses.dataclass(frozen=True)
class Plan:
    verdict: Verdict
    deadline: datetime.datetime | None  # the last session ends by then
    steps: tuple[PlanStep, ...]

    @property
    def to_book(self) -> int:
        return sum(step.status != StepStatus.BOOKED for step in self.steps)


def plan_deadline(*, interview_on: datetime.date, zone: str) -> datetime.datetime:
    """When the last practice session must end: LAST_SESSION_GAP before the interview day
    begins in the candidate's zone."""
    midnight = datetime.datetime.combine(interview_on, datetime.time(), tzinfo=ZoneInfo(zone))
    return (midnight - LAST_SESSION_GAP).astimezone(datetime.UTC)


def plan_propose(
    *,
    interview_on: datetime.date,
    zone: str,
    now: datetime.datetime,
    steps: Sequence[StepInput],
    match: Mapping[int, int],
    busy: Sequence[tuple[datetime.datetime, datetime.datetime]] = (),
) -> Plan:
    """The plan for an interview on `interview_on` (the candidate's local date in `zone`).

    `steps` are the role's types in order; `match` scores interviewers (higher is a better match
    for the candidate's companies and level, absent is 0); `busy` are the candidate's other
    sessions, which suggestions must not overlap.
    """
    local = ZoneInfo(zone)
    if interview_on < now.astimezone(local).date():
        return Plan(Verdict.PASSED, None, ())
    deadline = plan_deadline(interview_on=interview_on, zone=zone)
    done = {
        step.type_id: PlanStep(step.type_id, StepStatus.BOOKED, booked=step.booked)
        for step in steps
        if step.booked is not None
    }
    remaining = [step for step in steps if step.booked is None]
    if not remaining:
        return Plan(Verdict.ON_TRACK, deadline, _in_order(steps, done))
    if deadline <= now:
        placed = {step.type_id: PlanStep(step.type_id, StepStatus.NO_TIME) for step in remaining}
        return Plan(Verdict.TOO_LATE, deadline, _in_order(steps, done | placed))

    # Every session of the plan, booked or not, has its part of the time: the plan starts at
    # most SPACING per session before the deadline and splits what is left equally.
    first = max(now, deadline - len(steps) * SPACING)
    part = (deadline - first) / len(steps)
    free_parts = _parts_left(steps, first=first, part=part)
    taken_days = {
        step.booked.start.astimezone(local).date() for step in steps if step.booked is not None
    }
    taken = list(busy) + [(s.booked.start, s.booked.end) for s in steps if s.booked is not None]
    placed = {}
    for index, step in zip(free_parts, remaining, strict=True):
        part_start = first + index * part
        usable = [
            opening
            for opening in step.openings
            if opening.start >= first
            and opening.end <= deadline
            and opening.start.astimezone(local).date() not in taken_days
            and not any(opening.start < end and start < opening.end for start, end in taken)
        ]
        choice = _choose(usable, part_start=part_start, part_end=part_start + part, match=match)
        if choice is not None:
            placed[step.type_id] = PlanStep(step.type_id, StepStatus.SUGGESTED, opening=choice)
            taken_days.add(choice.start.astimezone(local).date())
            taken.append((choice.start, choice.end))
        elif step.bookable_until is not None and step.bookable_until < part_start:
            # Bookings open a horizon ahead: this part's times open that long before it.
            opens_at = part_start - (step.bookable_until - now)
            placed[step.type_id] = PlanStep(step.type_id, StepStatus.OPENS_LATER, opens_at=opens_at)
        else:
            placed[step.type_id] = PlanStep(step.type_id, StepStatus.NO_TIME)
    verdict = (
        Verdict.TIGHT
        if any(step.status == StepStatus.NO_TIME for step in placed.values())
        else Verdict.ON_TRACK
    )
    return Plan(verdict, deadline, _in_order(steps, done | placed))


def _parts_left(
    steps: Sequence[StepInput], *, first: datetime.datetime, part: datetime.timedelta
) -> list[int]:
    """The parts (indexes, in time order) left for the sessions still to book, once each booked
    session has taken the part it falls in (or the nearest one still free, if two share one;
    one taken before the plan's weeks takes the first)."""
    count = len(steps)
    left = list(range(count))
    for start in sorted(step.booked.start for step in steps if step.booked is not None):
        falls_in = min(max(int((start - first) / part), 0), count - 1)
        left.remove(min(left, key=lambda index: (abs(index - falls_in), index)))
    return left


def _choose(
    usable: list[Opening],
    *,
    part_start: datetime.datetime,
    part_end: datetime.datetime,
    match: Mapping[int, int],
) -> Opening | None:
    """In the part: the best-matching interviewer's earliest time. Else the time nearest to the
    part, the better match first among equally near ones."""
    inside = [opening for opening in usable if part_start <= opening.start < part_end]
    if inside:
        return min(inside, key=lambda o: (-match.get(o.interviewer_id, 0), o.start, o))
    if usable:
        return min(
            usable,
            key=lambda o: (abs(o.start - part_start), -match.get(o.interviewer_id, 0), o),
        )
    return None


def _in_order(steps: Sequence[StepInput], by_type: dict[int, PlanStep]) -> tuple[PlanStep, ...]:
    return tuple(by_type[step.type_id] for step in steps)
