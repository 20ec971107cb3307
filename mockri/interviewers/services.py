"""Interviewer applications: apply, vet (accept or decline), and the invitation an accepted
applicant follows to get an interviewer account."""

import dataclasses
import datetime
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import slugify

from mockri.accounts.models import ConsentSource, User, normalize_email
from mockri.accounts.services import consent_record
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.catalogue.selectors import company_find
from mockri.catalogue.services import languages_named
from mockri.lib.errors import PolicyViolation
from mockri.lib.tokens import token_digest, token_new
from mockri.notifications.services import email_queue

from .enums import ApplicationStatus
from .models import InterviewerApplication, Invitation


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
    """File an application, or update the pending one from the same address (a duplicate is
    merged, never repeated). None when the address's application was already accepted: nothing
    changes, and the page says the same as ever so it tells no one whether an address applied.

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
            else:
                for name, value in {**fields, **consent}.items():
                    setattr(application, name, value)
                application.updated_at = now
                application.times_submitted += 1
                application.save()
            application.interview_types.set(details.interview_types)
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
