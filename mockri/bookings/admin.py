from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Booking, BookingEvent, BookingFile, FileAccess


class BookingFileInline(ReadOnlyInline):
    model = BookingFile
    fields = ["kind", "original_name", "content_type", "size_bytes", "uploaded_at"]
    readonly_fields = fields


class FileAccessInline(ReadOnlyInline):
    model = FileAccess
    fields = ["accessed_at", "accessed_by", "accessed_by_role", "kind", "file_name"]
    readonly_fields = fields


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ["at", "actor", "actor_role", "action", "from_status", "to_status", "detail"]
    readonly_fields = fields


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    """Read-only here: every change goes through the booking page's actions, which apply the
    rules (conflict checks, refund decisions, the audit trail)."""

    list_display = [
        "reference",
        "status",
        "starts_at",
        "interview_type",
        "interviewer",
        "candidate",
    ]
    list_filter = ["status", "interview_type"]
    list_select_related = ["interview_type", "interviewer", "candidate"]
    search_fields = ["reference", "candidate__email", "interviewer__display_name"]
    date_hierarchy = "starts_at"
    inlines = [BookingFileInline, FileAccessInline, BookingEventInline]
