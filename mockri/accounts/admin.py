from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from mockri.lib.admin import ReadOnlyAdmin

from .models import Consent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_interviewer", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_interviewer", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "timezone"]}),
        ("Roles", {"fields": ["is_active", "is_interviewer", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """The consent log is evidence: staff read it, nobody edits it."""

    list_display = ["user", "policy_version", "source", "accepted_at"]
    list_filter = ["policy_version", "source"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
