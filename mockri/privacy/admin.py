from django.contrib import admin
from django.utils import timezone

from .models import Grievance, PurgeLog
from .services import grievance_answer


@admin.register(PurgeLog)
class PurgeLogAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "what", "count"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so the person receives the reply.
        grievance_answer(
            grievance=obj,
            reply=form.cleaned_data["reply"],
            status=form.cleaned_data["status"],
            now=timezone.now(),
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    """The staff queue: soonest due first. Staff write the reply and move the status."""

    list_display = ["reference", "kind", "email", "status", "due_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "email", "name"]
    readonly_fields = [
        "reference",
        "user",
        "name",
        "email",
        "kind",
        "message",
        "due_at",
        "created_at",
    ]
    fields = [*readonly_fields, "status", "reply"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so the person receives the reply.
        grievance_answer(
            grievance=obj,
            reply=form.cleaned_data["reply"],
            status=form.cleaned_data["status"],
            now=timezone.now(),
        )
