from django.contrib import admin

from .models import AvailabilityOverride, TimeOff, WeeklyAvailability


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    list_select_related = ["interviewer"]


@admin.register(AvailabilityOverride)
class AvailabilityOverrideAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "date", "start_time", "end_time"]
    list_select_related = ["interviewer"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "starts_at", "ends_at", "reason"]
    list_select_related = ["interviewer"]
