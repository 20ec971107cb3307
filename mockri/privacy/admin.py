from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from mockri.lib.admin import ReadOnlyAdmin
from mockri.lib.errors import PolicyViolation, RequestNotConfirmed

from .models import (
    BreachDataKind,
    BreachIncident,
    BreachNotice,
    Grievance,
    Nominee,
    PurgeLog,
)
from .selectors import breach_affected_users
from .services import (
    breach_notify,
    grievance_answer,
    grievance_erasure_start,
    grievance_export_start,
)

PREVIEW_LIMIT = 100


@admin.register(PurgeLog)
class PurgeLogAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "what", "count"]


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    """The staff queue: soonest due first. Staff write the reply and move the status."""

    list_display = ["reference", "kind", "email", "verified_at", "status", "due_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "email", "name"]
    readonly_fields = [
        "reference",
        "user",
        "name",
        "email",
        "kind",
        "message",
        "verified_at",
        "due_at",
        "created_at",
    ]
    fields = [*readonly_fields, "status", "reply"]
    actions = ["send_copy_of_data", "delete_account"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Email the person a copy of their data", permissions=["change"])
    def send_copy_of_data(self, request, queryset):
        self._run_for_requesters(
            request,
            queryset,
            run=grievance_export_start,
            done="a copy of their data is being prepared; the link goes to their email",
        )

    @admin.action(description="Delete the person's account", permissions=["change"])
    def delete_account(self, request, queryset):
        self._run_for_requesters(
            request,
            queryset,
            run=grievance_erasure_start,
            done="their account is deleted and its data is being erased",
        )

    def _run_for_requesters(self, request, queryset, *, run, done):
        """Act for the owner of the account each request names, only when they provably made
        it (the service checks, as the console's do); say what happened to each request."""
        now = timezone.now()
        for grievance in queryset:
            try:
                run(grievance=grievance, requested_by=request.user, now=now)
            except RequestNotConfirmed as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            except PolicyViolation as refusal:
                self.message_user(request, refusal.message, messages.WARNING)
            else:
                self.message_user(request, f"{grievance.reference}: {done}.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # Through the service, so the person receives the reply.
        grievance_answer(
            grievance=obj,
            reply=form.cleaned_data["reply"],
            status=form.cleaned_data["status"],
            now=timezone.now(),
        )


class BreachIncidentForm(forms.ModelForm):
    data_kinds = forms.MultipleChoiceField(
        label="Data involved",
        choices=BreachDataKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BreachIncident
        fields = [
            "description",
            "window_start",
            "window_end",
            "discovered_at",
            "data_kinds",
            "consequences",
            "mitigation",
            "user_steps",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start and end and start >= end:
            self.add_error("window_end", "The window must end after it starts.")
        return cleaned


@admin.register(BreachIncident)
class BreachIncidentAdmin(admin.ModelAdmin):
    """Record an incident, check who it affected, then send the notices (an action). Once sent,
    the incident is the record of what people were told and can no longer be edited."""

    form = BreachIncidentForm
    list_display = [
        "__str__",
        "window_start",
        "window_end",
        "discovered_at",
        "notified_at",
        "notices_sent",
    ]
    readonly_fields = ["created_by", "created_at", "notified_at", "notices_sent", "affected"]
    actions = ["send_notices"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return BreachIncidentForm.Meta.fields
        return [*self._texts(obj), *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.notified_at is not None:
            return [*self._texts(obj), *self.readonly_fields]
        return self.readonly_fields

    @staticmethod
    def _texts(obj) -> list[str]:
        # Once sent, the kinds show by their labels.
        fields = list(BreachIncidentForm.Meta.fields)
        if obj.notified_at is not None:
            fields[fields.index("data_kinds")] = "data_involved"
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(notice_count=Count("notices"))

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.notified_at is None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Notices sent", ordering="notice_count")
    def notices_sent(self, obj):
        return obj.notice_count

    @admin.display(description="Data involved")
    def data_involved(self, obj):
        return format_html_join("", "<p>{}</p>", ((label,) for label in obj.data_kind_labels))

    @admin.display(description="Affected people (now)")
    def affected(self, obj):
        if obj.pk is None:
            return "Save first to see who is affected."
        users = breach_affected_users(
            window_start=obj.window_start, window_end=obj.window_end, kinds=obj.data_kinds
        )
        told = set(obj.notices.values_list("user_id", flat=True))
        rows = [_row(user, told) for user in users[:PREVIEW_LIMIT]]
        more = users.count() - len(rows) if len(rows) == PREVIEW_LIMIT else 0
        return format_html(
            "<p>{} people</p><ul>{}</ul>{}",
            len(rows) + more,
            format_html_join("", "<li>{}{}</li>", rows),
            format_html("<p>and {} more</p>", more) if more else "",
        )

    @admin.action(description="Send notices to the affected people", permissions=["change"])
    def send_notices(self, request, queryset):
        now = timezone.now()
        for incident in queryset:
            counts = breach_notify(incident=incident, now=now)
            self.message_user(
                request,
                f"{incident.reference}: {counts['affected']} affected; {counts['notified']} "
                f"notified now ({counts['emailed']} by email, {counts['email_suppressed']} in the "
                f"app only as their address bounced); {counts['already_notified']} told before; "
                f"{counts['erased']} erased their account since and cannot be told.",
                messages.SUCCESS,
            )


def _row(user, told: set[int]) -> tuple[str, str]:
    if user.erased_at is not None:
        return f"user {user.pk}", " (account erased since: cannot be told)"
    notes = []
    if user.pk in told:
        notes.append("notified")
    if user.email_bounced_at is not None:
        notes.append("email bounced: app only")
    return user.email, f" ({', '.join(notes)})" if notes else ""


@admin.register(BreachNotice)
class BreachNoticeAdmin(ReadOnlyAdmin):
    """Who was told about which incident, when, how, and whether they have read it."""

    list_display = ["incident", "user", "sent_at", "emailed", "acknowledged_at"]
    list_filter = ["incident"]
    list_select_related = ["incident", "user", "email"]
    search_fields = ["user__email"]

    @admin.display(description="Email")
    def emailed(self, obj):
        return obj.email.get_status_display() if obj.email else "not sent (address bounced)"


@admin.register(Nominee)
class NomineeAdmin(ReadOnlyAdmin):
    """Whom each person named: staff check a request made on someone's behalf against it."""

    list_display = ["user", "name", "email", "relationship", "created_at"]
    search_fields = ["user__email", "email", "name"]
    list_select_related = ["user"]
