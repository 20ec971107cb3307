"""Interviewers: applications (apply, vet, the invitation an accepted applicant follows), then
their own profile, going live, and staff's pause, unlist and resume."""

import dataclasses
import datetime
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mockri.accounts.models import ConsentSource, User, normalize_email
from mockri.accounts.services import consent_record
from mockri.catalogue.models import Hold, InterviewerProfile, InterviewType
from mockri.catalogue.selectors import company_find
from mockri.catalogue.services import languages_named
from mockri.lib.errors import PolicyViolation
from mockri.lib.tokens import token_digest, token_new
from mockri.notifications.services import email_queue

from .enums import ApplicationStatus, StatusAction
from .models import InterviewerApplication, Invitation, ProfileChange, StatusChange
from .onboarding import onboarding_progress


@dataclasses.dataclass(frozen=True)
class ApplicationDetails:
    """What an applicant tells us, already validated (forms.ApplicationForm)."""

    full_name: str
    email: str
    current_company: str
    current_role: str
    years_experience: int
    companies_interviewed_for: list[str]
    interview_types: list[InterviewType]
    languages: list[str]
    profile_url: str
    motivation: str


def application_submit(
    *, details: ApplicationDetails, ip_address: str | None, now: datetime.datetime
) -> InterviewerApplication | None:
    """File an application, or add to the pending one from the same address (a duplicate is
    merged, never repeated). None when the address's application was already accepted: nothing
    changes, and the page says the same as ever so it tells no one whether an address applied.

    Nobody proves the address by applying, so a later form never replaces the first one's
    details: it is kept beside them (resubmissions, the newest RESUBMISSIONS_KEPT) for staff to
    read, and the consent stays the first one's. A stranger typing someone's address can add a
    note staff see as such, but cannot rewrite what the owner sent; the invitation only ever
    goes to the address itself.
    A declined address may apply again: that is a new pending application (the declined one
    stays until its retention ends).
    Side effects, committed together: the application with the policy consent given now; the
    "application_received" email, once per application (an update sends none, so the form
    cannot be used to flood an address).
    """
    email = normalize_email(details.email)
    fields = {
        field.name: getattr(details, field.name)
        for field in dataclasses.fields(details)
        if field.name not in ("email", "interview_types")
    }
    consent = {
        "policy_version": settings.PRIVACY_POLICY_VERSION,
        "consented_at": now,
        "consent_ip": ip_address or None,
    }
    if InterviewerApplication.objects.filter(
        email=email, status=ApplicationStatus.ACCEPTED
    ).exists():
        return None
    try:
        with transaction.atomic():
            application = (
                InterviewerApplication.objects.select_for_update()
                .filter(email=email, status=ApplicationStatus.PENDING)
                .first()
            )
            if application is None:
                application = InterviewerApplication.objects.create(
                    email=email, created_at=now, updated_at=now, **fields, **consent
                )
                application.interview_types.set(details.interview_types)
            else:
                _resubmission_keep(application=application, details=details, now=now)
            email_queue(
                "application_received",
                recipient=None,
                to_address=email,
                booking=None,
                dedupe_key=f"application_received:{application.pk}",
                context={"application": application},
            )
    except IntegrityError:
        # The same address applied twice at once and the other request made the pending row:
        # this one updates it instead.
        return application_submit(details=details, ip_address=ip_address, now=now)
    return application


RESUBMISSIONS_KEPT = 5


def _resubmission_keep(
    *, application: InterviewerApplication, details: ApplicationDetails, now: datetime.datetime
) -> None:
    entry = {
        **{
            field.name: getattr(details, field.name)
            for field in dataclasses.fields(details)
            if field.name not in ("email", "interview_types")
        },
        "interview_types": [t.name for t in details.interview_types],
        "submitted_at": now.isoformat(),
    }
    application.resubmissions = [*application.resubmissions, entry][-RESUBMISSIONS_KEPT:]
    application.times_submitted += 1
    application.updated_at = now
    application.save(update_fields=["resubmissions", "times_submitted", "updated_at"])


def application_note(*, application: InterviewerApplication, notes: str) -> None:
    """Staff's private notes on an application. No side effects beyond the row."""
    InterviewerApplication.objects.filter(pk=application.pk).update(staff_notes=notes)
    application.staff_notes = notes


def _decide(
    *,
    application: InterviewerApplication,
    to: ApplicationStatus,
    reason: str,
    staff: User,
    now: datetime.datetime,
) -> None:
    decided = InterviewerApplication.objects.filter(
        pk=application.pk, status=ApplicationStatus.PENDING
    ).update(status=to, decision_reason=reason, decided_at=now, decided_by=staff, updated_at=now)
    if not decided:
        raise PolicyViolation("This application was already decided.")
    application.refresh_from_db()


@transaction.atomic
def application_accept(
    *, application: InterviewerApplication, reason: str, staff: User, now: datetime.datetime
) -> Invitation:
    """Accept a pending application and invite the applicant.

    Raises PolicyViolation when it was already decided (by someone else, at the same time).
    Side effects, committed together: the status, reason, time and deciding staff member; an
    invitation valid INTERVIEWER_INVITATION_DAYS (only its token's digest stored); the
    "application_accepted" email carrying the link.
    """
    _decide(
        application=application, to=ApplicationStatus.ACCEPTED, reason=reason, staff=staff, now=now
    )
    return _invite(application=application, now=now)


def _invite(*, application: InterviewerApplication, now: datetime.datetime) -> Invitation:
    token = token_new()
    invitation = Invitation.objects.create(
        application=application,
        token_sha256=token_digest(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INTERVIEWER_INVITATION_DAYS),
    )
    email_queue(
        "application_accepted",
        recipient=None,
        to_address=application.email,
        booking=None,
        dedupe_key=f"application_accepted:{application.pk}:{invitation.pk}",
        context={
            "application": application,
            "link": settings.SITE_URL + reverse("interviewers:invitation", args=[token]),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation


@transaction.atomic
def invitation_resend(
    *, application: InterviewerApplication, staff: User, now: datetime.datetime
) -> Invitation:
    """A fresh invitation for an accepted applicant whose link expired or went astray.

    Raises PolicyViolation when the application is not accepted or an invitation of it was
    already used (the account exists: they sign in).
    Side effects, committed together: the earlier unused invitations deleted, so their links
    stop working (one live link at a time; the emails stay in the outbox); a new invitation
    valid INTERVIEWER_INVITATION_DAYS; the "application_accepted" email carrying its link.
    """
    application = InterviewerApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.ACCEPTED:
        raise PolicyViolation("Only an accepted application has an invitation to send again.")
    if application.invitations.filter(used_at__isnull=False).exists():
        raise PolicyViolation("The invitation was already used: they can sign in.")
    application.invitations.filter(used_at__isnull=True).delete()
    return _invite(application=application, now=now)


@transaction.atomic
def application_decline(
    *, application: InterviewerApplication, reason: str, staff: User, now: datetime.datetime
) -> None:
    """Decline a pending application.

    Raises PolicyViolation when it was already decided.
    Side effects, committed together: the status, reason, time and deciding staff member; the
    "application_declined" email with the reason. The application is deleted
    INTERVIEWER_APPLICATION_RETENTION_DAYS later (applications_purge).
    """
    _decide(
        application=application, to=ApplicationStatus.DECLINED, reason=reason, staff=staff, now=now
    )
    email_queue(
        "application_declined",
        recipient=None,
        to_address=application.email,
        booking=None,
        dedupe_key=f"application_declined:{application.pk}",
        context={
            "application": application,
            "retention_days": settings.INTERVIEWER_APPLICATION_RETENTION_DAYS,
        },
    )


def applications_purge(*, now: datetime.datetime) -> int:
    """Delete declined applications whose retention period has ended; how many went.

    Side effects: those rows deleted (a declined application has no invitation).
    """
    until = now - datetime.timedelta(days=settings.INTERVIEWER_APPLICATION_RETENTION_DAYS)
    _, by_model = InterviewerApplication.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lte=until
    ).delete()
    return by_model.get(InterviewerApplication._meta.label, 0)


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None, password: str, now: datetime.datetime
) -> User:
    """Follow an invitation: make the interviewer account, or give an existing account with the
    invited address (`user`, signed in) the interviewer role.

    The invitation was emailed to the address, so following it proves the address: a new
    account's address is verified, and the applicant's policy consent is recorded on it.
    Raises PolicyViolation when the invitation was used or has expired, or `user` is not the
    invited address's account.
    Side effects, committed together: the account (new: with `password`) marked interviewer;
    its address verified; the consent; an unlisted InterviewerProfile filled from the
    application (listed once onboarding is done); the invitation used (single use).
    """
    application = invitation.application
    existing = User.objects.filter(email=application.email).first()
    if user is not None and (existing is None or user.pk != existing.pk):
        raise PolicyViolation(
            "This invitation is for another email address. Sign out, then open the link again."
        )
    if existing is not None and user is None:
        raise PolicyViolation("An account already uses this address: sign in to it first.")
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        raise PolicyViolation(
            "This invitation has already been used or has expired. Write to us for a new one."
        )
    if existing is None:
        account = User.objects.create_user(
            email=application.email, password=password, full_name=application.full_name
        )
    else:
        account = existing
    User.objects.filter(pk=account.pk).update(is_interviewer=True)
    account.is_interviewer = True
    EmailAddress.objects.update_or_create(
        user=account,
        email=account.email,
        defaults={"verified": True, "primary": True},
    )
    consent_record(
        user=account,
        source=ConsentSource.INTERVIEWER_APPLICATION,
        version=application.policy_version,
        ip_address=application.consent_ip,
        accepted_at=application.consented_at,
    )
    _profile_from_application(account=account, application=application)
    Invitation.objects.filter(pk=invitation.pk).update(user=account)
    return account


def _profile_from_application(*, account: User, application: InterviewerApplication) -> None:
    if InterviewerProfile.objects.filter(user=account).exists():
        return  # staff made one by hand before: theirs stands
    profile = InterviewerProfile.objects.create(
        user=account,
        slug=f"{slugify(application.full_name)[:30] or 'interviewer'}-{uuid.uuid4().hex[:6]}",
        display_name=application.full_name,
        headline=f"{application.current_role}, {application.current_company}"[:160],
        past_roles=[{"role": application.current_role, "company": application.current_company}],
        years_experience=application.years_experience,
        # Not shown to candidates nor bookable until onboarding is complete.
        is_listed=False,
    )
    profile.interview_types.set(application.interview_types.filter(is_active=True))
    profile.languages.set(languages_named(names=application.languages))
    if company := company_find(name=application.current_company):
        profile.companies.add(company)


@dataclasses.dataclass(frozen=True)
class ProfileDetails:
    """What an interviewer says about themselves, already validated (forms.ProfileForm)."""

    headline: str
    bio: str
    current_role: str
    current_company: str
    # (role, company) pairs, most recent first; the role may be empty.
    past_roles: list[tuple[str, str]]
    seniority: str
    years_experience: int
    languages: list[str]
    interview_types: list[InterviewType]


@dataclasses.dataclass(frozen=True)
class PhotoChange:
    """A new photo already re-encoded (catalogue.photos.photo_reencode), or its removal."""

    content: ContentFile | None
    content_type: str = ""


def _seen_by_candidates(profile: InterviewerProfile) -> dict[str, object]:
    return {
        "Headline": profile.headline,
        "Photo": profile.photo.name,
        "Companies": (profile.past_roles, sorted(c.pk for c in profile.companies.all())),
    }


@transaction.atomic
def interviewer_profile_update(
    *,
    profile: InterviewerProfile,
    details: ProfileDetails,
    photo: PhotoChange | None,
    now: datetime.datetime,
) -> InterviewerProfile:
    """An interviewer's own edit of their profile (onboarding, and later from the dashboard).

    The companies candidates filter by are the known ones (catalogue Company and its aliases)
    among the current and past companies; languages become the directory's rows.
    Side effects, committed together: the profile, its languages, companies and interview types;
    the photo file replaced (the old one deleted once committed); for a live interviewer, a
    ProfileChange listing what candidates now see differently, for staff to spot-check.
    """
    before = _seen_by_candidates(profile)
    roles = [(details.current_role, details.current_company), *details.past_roles]
    profile.headline = details.headline
    profile.bio = details.bio
    profile.past_roles = [{"role": role, "company": company} for role, company in roles]
    profile.seniority = details.seniority
    profile.years_experience = details.years_experience
    old_photo = profile.photo.name
    if photo is not None:
        if photo.content is None:
            profile.photo = ""
        else:
            profile.photo.save("photo", photo.content, save=False)
        profile.photo_content_type = photo.content_type
    profile.full_clean(exclude=["user", "slug", "photo"])
    profile.save()
    if photo is not None and old_photo:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    companies = {c.pk: c for _, name in roles if name and (c := company_find(name=name))}
    profile.companies.set(companies.values())
    profile.languages.set(languages_named(names=details.languages))
    profile.interview_types.set(details.interview_types)
    after = _seen_by_candidates(profile)
    changed = [label for label in before if before[label] != after[label]]
    if changed and profile.went_live_at is not None:
        ProfileChange.objects.create(
            profile=profile,
            fields=changed,
            summary=f"{profile.headline}\n"
            + "\n".join(f"{role}, {company}".strip(", ") for role, company in roles),
            changed_at=now,
        )
    return profile


def interviewer_calendar_update(
    *, profile: InterviewerProfile, calcom_event_type_id: int | None
) -> None:
    """The interviewer's own Cal.com event type (MEETING_PROVIDER=calcom); None: the shared one.
    Side effects: the profile row."""
    profile.calcom_event_type_id = calcom_event_type_id
    profile.save(update_fields=["calcom_event_type_id"])


@transaction.atomic
def interviewer_go_live(*, profile: InterviewerProfile, now: datetime.datetime) -> None:
    """List a new interviewer once every required onboarding step is done.

    Raises PolicyViolation naming the missing steps, or when staff hold the profile.
    Side effects, committed together: listed (shown and bookable) with the time it went live;
    a StatusChange; a ProfileChange "Went live" so staff look over the new profile.
    """
    profile = InterviewerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.hold:
        raise PolicyViolation(
            "Staff have taken your profile off the directory; write to us to resume."
        )
    if profile.is_listed:
        return
    missing = onboarding_progress(profile).missing_required
    if missing:
        raise PolicyViolation(
            "Finish these steps first: " + ", ".join(step.title for step in missing) + "."
        )
    profile.is_listed = True
    profile.went_live_at = profile.went_live_at or now
    profile.save(update_fields=["is_listed", "went_live_at"])
    StatusChange.objects.create(profile=profile, action=StatusAction.WENT_LIVE, at=now)
    ProfileChange.objects.create(
        profile=profile, fields=["Went live"], summary=profile.headline, changed_at=now
    )


def _hold(
    profile: InterviewerProfile,
    *,
    hold: Hold,
    action: StatusAction,
    reason: str,
    by: User | None,
    now: datetime.datetime | None,
) -> None:
    at = now or timezone.now()
    profile.hold = hold
    profile.hold_reason = reason
    fields = ["hold", "hold_reason"]
    if hold == Hold.UNLISTED:
        profile.is_listed = False
        fields.append("is_listed")
    elif hold == Hold.NONE:
        profile.is_listed = profile.went_live_at is not None
        fields.append("is_listed")
    profile.save(update_fields=fields)
    change = StatusChange.objects.create(
        profile=profile, action=action, reason=reason, by=by, at=at
    )
    _hold_email(profile=profile, change=change)


# The email that tells the interviewer, per action (templates/emails/<kind>/).
HOLD_EMAILS = {
    StatusAction.PAUSED: "interviewer_paused",
    StatusAction.UNLISTED: "interviewer_unlisted",
    StatusAction.RESUMED: "interviewer_resumed",
}


def _hold_email(*, profile: InterviewerProfile, change: StatusChange) -> None:
    """Tell the interviewer what staff (or the reliability rule, when `change.by` is empty) did,
    why, that their booked sessions stay, and where to write: they learn it from us, not from a
    directory that stopped showing them."""
    kind = HOLD_EMAILS[StatusAction(change.action)]
    email_queue(
        kind,
        recipient=profile.user,
        booking=None,
        dedupe_key=f"{kind}:{change.pk}",
        context={
            "profile": profile,
            "change": change,
            "automatic": change.by_id is None,
            "threshold": settings.RELIABILITY_PAUSE_THRESHOLD,
            "has_gone_live": profile.went_live_at is not None,
        },
    )


@transaction.atomic
def interviewer_pause(
    profile: InterviewerProfile,
    *,
    reason: str,
    by: User | None,
    now: datetime.datetime | None = None,
) -> None:
    """Stop new bookings for an interviewer for now (by staff, or automatically with by=None).
    The sessions already booked stay; the profile leaves the directory until resumed. An
    unlisted interviewer stays unlisted (only the record is added).
    Side effects, committed together: the hold and its reason; a StatusChange; open slots
    recomputed (the profile's save moves the rules version); the "interviewer_paused" email.
    """
    profile = InterviewerProfile.objects.select_for_update().get(pk=profile.pk)
    hold = Hold.UNLISTED if profile.hold == Hold.UNLISTED else Hold.PAUSED
    _hold(profile, hold=hold, action=StatusAction.PAUSED, reason=reason, by=by, now=now)


@transaction.atomic
def interviewer_unlist(
    profile: InterviewerProfile,
    *,
    reason: str,
    by: User | None,
    now: datetime.datetime | None = None,
) -> None:
    """Take an interviewer off the directory until staff resume them: no new bookings, the
    booked sessions stay, and the interviewer cannot go live again by themselves.
    Side effects, committed together: unlisted, the hold and its reason; a StatusChange; the
    "interviewer_unlisted" email."""
    profile = InterviewerProfile.objects.select_for_update().get(pk=profile.pk)
    _hold(profile, hold=Hold.UNLISTED, action=StatusAction.UNLISTED, reason=reason, by=by, now=now)


@transaction.atomic
def interviewer_resume(
    profile: InterviewerProfile,
    *,
    reason: str,
    by: User | None,
    now: datetime.datetime | None = None,
) -> None:
    """Lift a pause or an unlisting: listed again if they had gone live, else back to
    onboarding. Side effects, committed together: the hold cleared; a StatusChange; the
    "interviewer_resumed" email."""
    profile = InterviewerProfile.objects.select_for_update().get(pk=profile.pk)
    if not profile.hold:
        return
    _hold(profile, hold=Hold.NONE, action=StatusAction.RESUMED, reason=reason, by=by, now=now)


def profile_change_clear(*, change: ProfileChange, staff: User, now: datetime.datetime) -> None:
    """Staff looked at a change and it is fine: off the spot-check list. Side effects: the row."""
    ProfileChange.objects.filter(pk=change.pk, reviewed_at__isnull=True).update(
        reviewed_at=now, reviewed_by=staff
    )
