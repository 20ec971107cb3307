from django.db import models


class PurgeLog(models.Model):
    """A record of what retention deleted and when: counts and references, no personal data."""

    ran_at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    detail = models.TextField(blank=True, help_text="Booking references whose files went.")

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.what}: {self.count}"
