import datetime

from django import forms
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings import forms as bookings_forms
from mockri.bookings.enums import BookingStatus, NoShowSide, RefundDecision
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.notifications.models import OutboxStatus
from mockri.privacy.models import Grievance, GrievanceKind, GrievanceStatus

from .selectors import DEFAULT_PERIOD_DAYS, PERIOD_DAYS


class MetricsPeriodForm(forms.Form):
    """The metrics page's `?days=`: one of the offered periods, the default when absent."""

    days = forms.TypedChoiceField(
        choices=[(str(days), f"Last {days} days") for days in PERIOD_DAYS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD_DAYS,
    )

    def period_days(self) -> int:
        """The chosen period, or the default when the value is not one of those offered."""
        return self.cleaned_data["days"] if self.is_valid() else DEFAULT_PERIOD_DAYS


class SearchForm(forms.Form):
    q = forms.CharField(label="Find", max_length=200, required=False)


class BookingFilterForm(forms.Form):
    """The booking list's filters, all optional; dates are the operator's own calendar days."""

    status = forms.ChoiceField(choices=[("", "Any status"), *BookingStatus.choices], required=False)
    interview_type = forms.ModelChoiceField(
        queryset=InterviewType.objects.order_by("name"), required=False, empty_label="Any type"
    )
    interviewer = forms.ModelChoiceField(
        queryset=InterviewerProfile.objects.order_by("display_name"),
        required=False,
        empty_label="Any interviewer",
    )
    starts_from = forms.DateField(label="Starting from", required=False)
    starts_to = forms.DateField(label="Starting up to", required=False)
    attention = forms.BooleanField(label="Needs attention only", required=False)
    person = forms.ModelChoiceField(
        queryset=User.objects.all(), required=False, widget=forms.HiddenInput
    )

    def filters(self) -> dict:
        """The console_bookings arguments the valid fields give (an invalid one is ignored)."""
        self.is_valid()
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def midnight(day):
            return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)

        return {
            "status": data.get("status") or "",
            "interview_type": data.get("interview_type"),
            "interviewer": data.get("interviewer"),
            "person": data.get("person"),
            "starts_from": midnight(data["starts_from"]) if data.get("starts_from") else None,
            "starts_before": midnight(data["starts_to"] + datetime.timedelta(days=1))
            if data.get("starts_to")
            else None,
        }


def _reason_field(label: str = "Why (kept in the history)") -> forms.CharField:
    return forms.CharField(label=label, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    interviewer = forms.ModelChoiceField(
        queryset=InterviewerProfile.objects.none(), label="New interviewer"
    )
    reason = _reason_field()

    def __init__(self, *args, free: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = InterviewerProfile.objects.filter(
            pk__in=[profile.pk for profile in free]
        )
        self.fields["interviewer"].choices = [("", "Choose…")] + [
            (profile.pk, profile.display_name) for profile in free
        ]


class CancelForm(forms.Form):
    refund = forms.ChoiceField(
        choices=[
            ("policy", "What the policy gives"),
            (RefundDecision.FULL, "Full refund"),
            (RefundDecision.PARTIAL, "Partial refund"),
            (RefundDecision.NONE, "No refund"),
        ],
        widget=forms.RadioSelect,
        initial="policy",
    )
    refund_rupees = forms.IntegerField(
        label="Partial refund, in rupees", min_value=1, max_value=10_000_000, required=False
    )
    reason = _reason_field()

    def clean(self):
        data = super().clean()
        if data.get("refund") == RefundDecision.PARTIAL and not data.get("refund_rupees"):
            self.add_error("refund_rupees", "Enter the amount to refund.")
        return data

    def refund_amount_paise(self) -> int | None:
        rupees = self.cleaned_data.get("refund_rupees")
        return rupees * 100 if rupees else None


class OutcomeForm(bookings_forms.OutcomeForm):
    reason = _reason_field()

    def no_show_side(self) -> NoShowSide | None:
        outcome = self.cleaned_data["outcome"]
        return None if outcome == "completed" else NoShowSide(outcome)


class ReasonForm(forms.Form):
    """An action that needs nothing but why (kept with the action, for the audit trail): resend
    an email, replace a meeting link, resend a verification, end someone's sessions."""

    reason = _reason_field()


class MoveForm(forms.Form):
    new_start = forms.TypedChoiceField(
        label="New time", coerce=datetime.datetime.fromisoformat, empty_value=None
    )
    reason = _reason_field()

    def __init__(self, *args, slots: list, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone()
        self.fields["new_start"].choices = [("", "Choose…")] + [
            (slot.start.isoformat(), slot.start.astimezone(zone).strftime("%a %d %b, %I:%M %p %Z"))
            for slot in slots
        ]


class RequestActionForm(forms.Form):
    """An export or an erasure: for which of the person's confirmed requests, and why."""

    request = forms.ModelChoiceField(queryset=Grievance.objects.none(), label="Their request")
    reason = _reason_field("Note (kept on their page)")

    def __init__(self, *args, requests: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = Grievance.objects.filter(
            pk__in=[request.pk for request in requests]
        )
        self.fields["request"].choices = [("", "Choose…")] + [
            (request.pk, f"{request.reference}: {request.get_kind_display()}")
            for request in requests
        ]


class EmailLogForm(forms.Form):
    """The email log's filters, all optional (an invalid one is ignored)."""

    to = forms.CharField(label="To (part of the address)", max_length=254, required=False)
    kind = forms.ChoiceField(label="Kind", required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *OutboxStatus.choices], required=False)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any kind")] + [(k, k.replace("_", " ")) for k in kinds]

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {key: data.get(key) or "" for key in ("to", "kind", "status")}


class GrievanceFilterForm(forms.Form):
    """The request list's filters, all optional (an invalid one is ignored)."""

    q = forms.CharField(label="Reference or email", max_length=254, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *GrievanceStatus.choices], required=False
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *GrievanceKind.choices], required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
        }


class GrievanceAnswerForm(forms.Form):
    """The reply (emailed to the person, once per distinct reply) and the status it leaves."""

    reply = forms.CharField(
        label="Reply (emailed to them)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(
        label="Then mark it",
        choices=GrievanceStatus.choices,
        initial=GrievanceStatus.ANSWERED,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == GrievanceStatus.ANSWERED and not data.get("reply", "").strip():
            self.add_error("reply", "Write the answer: it is emailed to them.")
        return data
