from django.contrib import admin, messages

from mockri.lib.admin import ReadOnlyAdmin

from .models import Meeting, WebhookDelivery
from .services import meeting_check_before_start, meeting_fall_back


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """Meetings change through the services: staff read them here and use the actions."""

    list_display = ["booking", "provider", "status", "attempts", "updated_at"]
    list_filter = ["status", "provider"]
    list_select_related = ["booking"]
    search_fields = ["booking__reference", "external_id"]
    actions = ["check_links", "fall_back"]

    @admin.action(description="Check the link at the provider (falls back if gone)")
    def check_links(self, request, queryset):
        for meeting in queryset:
            meeting_check_before_start(booking_id=meeting.booking_id)
        messages.success(request, f"Checked {len(queryset)} meeting(s).")

    @admin.action(description="Replace with a link from another provider")
    def fall_back(self, request, queryset):
        for meeting in queryset:
            reason = "Replaced by staff."
            if meeting.last_error:
                reason += f" Last error: {meeting.last_error}"
            meeting_fall_back(booking_id=meeting.booking_id, reason=reason)
        messages.success(request, f"Tried another provider for {len(queryset)} meeting(s).")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["trigger", "provider", "external_id", "received_at", "outcome"]
    list_filter = ["provider", "trigger"]
    search_fields = ["external_id"]
