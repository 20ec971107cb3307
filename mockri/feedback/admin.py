from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Feedback, FeedbackScore, Rating


class StaffReadOnly(ReadOnlyAdmin):
    """Staff read scorecards and ratings here; only the interviewer and the candidate write them
    (through the booking page), so nobody adds, changes or deletes them in the admin."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


class FeedbackScoreInline(ReadOnlyInline):
    model = FeedbackScore
    fields = ["label", "criterion", "score"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Feedback)
class FeedbackAdmin(StaffReadOnly):
    list_display = ["booking", "interviewer", "hire_signal", "submitted_at", "edited_at"]
    list_filter = ["hire_signal", "booking__interview_type"]
    list_select_related = ["booking__interviewer"]
    search_fields = ["booking__reference", "booking__interviewer__display_name"]
    date_hierarchy = "submitted_at"
    fields = [
        "booking",
        "hire_signal",
        "strengths",
        "areas_to_improve",
        "submitted_at",
        "edited_at",
    ]
    readonly_fields = fields
    inlines = [FeedbackScoreInline]

    @admin.display(description="Interviewer", ordering="booking__interviewer__display_name")
    def interviewer(self, feedback):
        return feedback.booking.interviewer.display_name


@admin.register(Rating)
class RatingAdmin(StaffReadOnly):
    list_display = ["booking", "interviewer", "score", "has_comment", "updated_at"]
    list_filter = ["score"]
    list_select_related = ["booking__interviewer"]
    search_fields = ["booking__reference", "booking__interviewer__display_name"]
    fields = ["booking", "score", "comment", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description="Interviewer", ordering="booking__interviewer__display_name")
    def interviewer(self, rating):
        return rating.booking.interviewer.display_name

    @admin.display(description="Comment", boolean=True)
    def has_comment(self, rating):
        return bool(rating.comment)
