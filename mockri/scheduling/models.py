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
