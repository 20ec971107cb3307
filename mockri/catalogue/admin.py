from django.contrib import admin

from .models import InterviewerProfile, InterviewType


@admin.register(InterviewType)
class InterviewTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "price_display", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["interviewers"]


@admin.register(InterviewerProfile)
class InterviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "headline", "years_experience", "is_listed"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}
    search_fields = ["display_name", "user__email"]
