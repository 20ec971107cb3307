from django.db import models

from mockri.catalogue.models import InterviewerProfile


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class WeeklyAvailability(models.Model):
    """A recurring window, in the interviewer's own time zone, when they take sessions."""

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["interviewer", "weekday", "start_time"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="weekly_availability_starts_before_it_ends",
            ),
            models.UniqueConstraint(
                fields=["interviewer", "weekday", "start_time"],
                name="weekly_availability_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class AvailabilityOverride(models.Model):
    """Different hours on one date, in the interviewer's zone: the date's windows replace the
    weekly ones. A row without times marks the whole day unavailable."""

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="availability_overrides"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["interviewer", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(start_time__isnull=True, end_time__isnull=True)
                    | models.Q(start_time__lt=models.F("end_time"))
                ),
                name="availability_override_is_a_day_off_or_a_window",
            ),
        ]

    def __str__(self) -> str:
        if self.start_time is None:
            return f"{self.date}: unavailable"
        return f"{self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class TimeOff(models.Model):
    """A stretch when the interviewer takes no sessions (holiday, travel), in absolute time."""

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="time_off"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["interviewer", "starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="time_off_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.interviewer}: {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"
        )
