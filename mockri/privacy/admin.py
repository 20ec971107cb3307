from django.contrib import admin

from .models import PurgeLog


@admin.register(PurgeLog)
class PurgeLogAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "what", "count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
