import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from mockri.lib.money import format_inr


def photo_path(instance, filename: str) -> str:
    # A server-made name: the uploaded one is never used on disk.
    return f"interviewers/{uuid.uuid4().hex}"


class InterviewerProfile(models.Model):
    """The public face of an interviewer: what a candidate reads before choosing them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviewer_profile"
    )
    slug = models.SlugField(unique=True)
    display_name = models.CharField(max_length=100)
    headline = models.CharField(
        max_length=160, help_text="One line, e.g. 'Staff engineer, ex-Google'."
    )
    bio = models.TextField(blank=True)
    photo = models.FileField(upload_to=photo_path, blank=True, max_length=200)
    photo_content_type = models.CharField(max_length=32, blank=True, editable=False)
    past_roles = models.JSONField(
        default=list, blank=True, help_text='A list of {"role": ..., "company": ...} entries.'
    )
    years_experience = models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)])
    languages = models.JSONField(default=list, blank=True, help_text='e.g. ["English", "Hindi"]')
    is_listed = models.BooleanField(default=True, help_text="Shown to candidates and bookable.")
    # Scheduling settings: how candidates may book this interviewer.
    min_notice_minutes = models.PositiveIntegerField(
        default=12 * 60, help_text="How long before a session it can still be booked."
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How far ahead sessions can be booked.",
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MaxValueValidator(120)], help_text="Gap kept between sessions."
    )
    max_sessions_per_day = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:interviewer", kwargs={"slug": self.slug})

    @property
    def photo_url(self) -> str:
        return reverse("catalogue:photo", kwargs={"slug": self.slug}) if self.photo else ""

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.display_name.split()[:2]).upper()

    @property
    def companies(self) -> list[str]:
        return list(
            dict.fromkeys(role["company"] for role in self.past_roles if role.get("company"))
        )


class InterviewType(models.Model):
    """Something a candidate can book, e.g. a 60-minute System Design round for ₹1,999."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    summary = models.CharField(max_length=160, help_text="One line of scope for cards.")
    description = models.TextField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(180)]
    )
    price_paise = models.PositiveIntegerField(help_text="Price in paise; 0 makes the session free.")
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    interviewers = models.ManyToManyField(
        InterviewerProfile, related_name="interview_types", blank=True
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15), name="interview_type_min_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:type", kwargs={"slug": self.slug})

    @property
    def is_free(self) -> bool:
        return self.price_paise == 0

    @property
    def price_display(self) -> str:
        return "Free" if self.is_free else format_inr(self.price_paise)
