from django.contrib import admin

from .models import WeeklyAvailability


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    list_select_related = ["interviewer"]
