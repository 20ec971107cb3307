import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from mockri.lib.money import format_inr


def photo_path(instance, filename: str) -> str:
    # A server-made name: the uploaded one is never used on disk.
    return f"interviewers/{uuid.uuid4().hex}"


# A profile shows its average rating only from this many ratings on ("New" before): one early
# review should not define someone.
RATINGS_BEFORE_AVERAGE = 3
MAX_CRITERIA = 8
_CRITERION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CRITERIA_EXAMPLE = '[{"key": "communication", "label": "Communication", "hint": "..."}]'


def validate_scorecard_criteria(value) -> None:
    """A list of {"key": "problem_solving", "label": "Problem solving", "hint": "..."}: keys
    unique lower_snake_case, labels up to 80 characters, the hint optional (up to 200)."""
    if not isinstance(value, list):
        raise ValidationError("Give the criteria as a list, e.g. " + CRITERIA_EXAMPLE)
    if len(value) > MAX_CRITERIA:
        raise ValidationError(f"A scorecard has at most {MAX_CRITERIA} criteria.")
    keys = set()
    for item in value:
        if not isinstance(item, dict) or set(item) - {"key", "label", "hint"}:
            raise ValidationError(
                'Each criterion is {"key": ..., "label": ..., "hint": ...} (hint optional).'
            )
        key, label, hint = item.get("key"), item.get("label"), item.get("hint", "")
        if not isinstance(key, str) or not _CRITERION_KEY.match(key):
            raise ValidationError(
                f"{key!r} is not a valid key: use lower-case letters, digits and underscores."
            )
        if key in keys:
            raise ValidationError(f"The key {key!r} appears twice.")
        keys.add(key)
        if not isinstance(label, str) or not label.strip() or len(label) > 80:
            raise ValidationError(f"The criterion {key!r} needs a label of up to 80 characters.")
        if not isinstance(hint, str) or len(hint) > 200:
            raise ValidationError(f"The hint of {key!r} must be text of up to 200 characters.")


class Seniority(models.TextChoices):
    """An interviewer's level, as candidates filter by it."""

    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff / principal"
    MANAGER = "manager", "Engineering or product manager"
    DIRECTOR = "director", "Director and above"


def company_key(name: str) -> str:
    """How company names and aliases compare: case and spacing ignored."""
    return " ".join(name.split()).casefold()


class Hold(models.TextChoices):
    """Staff taking an interviewer off the directory (interviewers.services.interviewer_pause and
    interviewer_unlist): either way no new bookings, and the sessions already booked stay."""

    NONE = "", "None"
    PAUSED = "paused", "Paused"
    UNLISTED = "unlisted", "Unlisted"


class Company(models.Model):
    """A company interviewers worked at, curated by staff so that "Google" and "google india"
    are one filter value in the directory."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    aliases = models.TextField(
        blank=True, help_text="Other names for the same company, one a line, e.g. 'Google India'."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    @property
    def keys(self) -> set[str]:
        """The name, slug and aliases as compared by company_key."""
        return {
            company_key(n) for n in [self.name, self.slug, *self.aliases.splitlines()] if n.strip()
        }


class Language(models.Model):
    """A language an interviewer can hold a session in."""

    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    companies = models.ManyToManyField(
        Company,
        related_name="interviewers",
        blank=True,
        help_text="What candidates filter by; past roles above are what the profile shows.",
    )
    seniority = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)])
    languages = models.ManyToManyField(Language, related_name="interviewers", blank=True)
    is_listed = models.BooleanField(default=True, help_text="Shown to candidates and bookable.")
    went_live_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When onboarding was completed."
    )
    hold = models.CharField(max_length=16, choices=Hold.choices, blank=True, editable=False)
    hold_reason = models.TextField(blank=True, editable=False, help_text="Staff's, for the record.")
    # Scheduling settings: how candidates may book this interviewer.
    min_notice_minutes = models.PositiveIntegerField(
        default=12 * 60,
        # At most 30 days: the slot engine adds it to the current time, so it must stay sane.
        validators=[MaxValueValidator(30 * 24 * 60)],
        help_text="How long before a session it can still be booked.",
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
    # Set by staff. Read only when MEETING_PROVIDER=calcom (meetings.providers.calcom).
    calcom_event_type_id = models.PositiveIntegerField(
        "Cal.com event type id",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Cal.com only: the id of an event type this interviewer hosts; their sessions "
        "are booked on it. Its length must be that of every interview type they take, or it must "
        "offer each of those lengths as one of several durations. Empty: the shared event type "
        "(CALCOM_EVENT_TYPE_ID), with the interviewer as a guest.",
    )
    # Counters for the public profile, kept by the services that change them in the same
    # transaction (bookings: a session completed; feedback: a rating given or changed), so the
    # catalogue pages read them with the profile itself.
    sessions_given = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_total = models.PositiveIntegerField(
        default=0, editable=False, help_text="The sum of the ratings' scores."
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
    def average_rating(self) -> float | None:
        """The mean score to one decimal, or None while there are too few ratings to show."""
        if self.rating_count < RATINGS_BEFORE_AVERAGE:
            return None
        return round(self.rating_total / self.rating_count, 1)


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
    scorecard_criteria = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_scorecard_criteria],
        help_text="What the interviewer scores from 1 to 4 after a session, e.g. "
        + CRITERIA_EXAMPLE
        + ". Changes apply to scorecards written afterwards.",
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
