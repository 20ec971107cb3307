from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffAction(models.Model):
    """One console action about a person or a privacy request (resend their verification, end
    their sessions, start an export or an erasure, resend one of their emails, answer their
    request): who, what, when and why, shown on the person's console page and the request's.
    A request sent from an address with no account has no person. Actions on a booking go to
    its own history (BookingEvent)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_actions",
    )
    grievance = models.ForeignKey(
        "privacy.Grievance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_actions",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    reason = models.TextField(max_length=500)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.action} for {self.person_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_display(self) -> str:
        return self.action.replace("_", " ").capitalize()


class FunnelStep(models.TextChoices):
    PICKER_VIEWED = "picker_viewed", "Viewed the slot picker"
    DETAILS_VIEWED = "details_viewed", "Viewed the booking details form"


class FunnelDay(models.Model):
    """How many times a booking step's page was shown on one day (India's calendar): a bare
    counter, no cookie, no visitor id, nothing about who."""

    day = models.DateField()
    step = models.CharField(max_length=20, choices=FunnelStep.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "step"], name="operations_funnel_day_step")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.step}: {self.count}"
