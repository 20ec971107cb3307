from django.contrib import admin

from .models import TargetRole


@admin.register(TargetRole)
class TargetRoleAdmin(admin.ModelAdmin):
    """Roles candidates prepare for, and the interview types of their plans."""

    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["interview_types"]
