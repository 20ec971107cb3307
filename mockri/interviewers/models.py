from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from mockri.catalogue.models import InterviewerProfile, InterviewType

from .enums import ApplicationStatus, StatusAction

MAX_YEARS_EXPERIENCE = 60


class InterviewerApplication(models.Model):
    """Someone asking to interview on Mockri, before any account: what staff vet.

    One pending application per address (a later one is kept beside it, never replacing it).
    Declined ones are deleted INTERVIEWER_APPLICATION_RETENTION_DAYS after the decision.
    """

    email = models.EmailField(max_length=254, help_text="Stored lower-case; not yet verified.")
    full_name = models.CharField(max_length=150)
    current_company = models.CharField(max_length=120)
    current_role = models.CharField(max_length=120)
    years_experience = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(MAX_YEARS_EXPERIENCE)]
    )
    companies_interviewed_for = models.JSONField(
        default=list, blank=True, help_text='Companies they have interviewed for, e.g. ["Google"].'
    )
    interview_types = models.ManyToManyField(InterviewType, related_name="applications")
    languages = models.JSONField(default=list, help_text='e.g. ["English", "Hindi"]')
    # Text only: Mockri never fetches it (no request to LinkedIn or any other site).
    profile_url = models.CharField("LinkedIn or portfolio URL", max_length=300)
    motivation = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    # Proof of consent, as accounts' Consent keeps it; copied onto the account when one is made.
    policy_version = models.CharField(max_length=32)
    consented_at = models.DateTimeField(default=now)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    times_submitted = models.PositiveSmallIntegerField(
        default=1, help_text="More than 1: the same address applied again (see resubmissions)."
    )
    # Anyone can type any address, so a later form from the same address never replaces what
    # was sent first: it is kept beside it for staff to read (the newest few).
    resubmissions = models.JSONField(
        default=list, blank=True, help_text="Later forms from the same address, newest last."
    )
    staff_notes = models.TextField(blank=True, help_text="Seen only by staff.")
    decision_reason = models.TextField(blank=True, help_text="Emailed to the applicant.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(status=ApplicationStatus.PENDING),
                name="application_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(years_experience__lte=MAX_YEARS_EXPERIENCE),
                name="application_years_experience_sane",
            ),
            # A decision has a time; a pending application has none.
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ApplicationStatus.PENDING) & Q(decided_at__isnull=False)),
                name="application_decided_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.get_status_display()})"


class Invitation(models.Model):
    """The one-time link an accepted applicant follows to get an interviewer account. Only the
    token's SHA-256 is stored, so a copy of the database opens nothing."""

    application = models.ForeignKey(
        InterviewerApplication, on_delete=models.CASCADE, related_name="invitations"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account the invitation made or upgraded.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.application.email}"


class ProfileChange(models.Model):
    """A change a live interviewer made to what candidates see (photo, headline, companies):
    live at once, and listed for staff to spot-check until one marks it as looking fine."""

    profile = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="spot_checks"
    )
    fields = models.JSONField(help_text='What changed, e.g. ["Photo", "Headline"].')
    summary = models.TextField(blank=True, help_text="The new text values, for the reviewer.")
    changed_at = models.DateTimeField(default=now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["reviewed_at", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.profile}: {', '.join(self.fields)}"


class StatusChange(models.Model):
    """The record of an interviewer going live, being paused or unlisted, or resumed: who, when
    and why."""

    profile = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="status_changes"
    )
    action = models.CharField(max_length=16, choices=StatusAction.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: done automatically (e.g. the reliability rule).",
    )
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=StatusAction.values), name="status_change_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.get_action_display()}"
