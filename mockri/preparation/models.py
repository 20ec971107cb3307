from django.conf import settings
from django.db import models

from mockri.catalogue.models import Company, InterviewType, Seniority


class TargetRole(models.Model):
    """A job candidates prepare for, e.g. "Software engineer", curated by staff with the
    interview types that practise its rounds: a preparation plan has one session of each."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    interview_types = models.ManyToManyField(
        InterviewType,
        related_name="target_roles",
        blank=True,
        help_text="The rounds of this role's interviews, one session each in a plan "
        "(in the catalogue's order).",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CandidateProfile(models.Model):
    """What a candidate told us about the job they are preparing for, every part optional.
    Written only through `preparation.services`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    target_role = models.ForeignKey(
        TargetRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    target_companies = models.ManyToManyField(Company, related_name="+", blank=True)
    # The date of the real interview, in the candidate's own zone. Purged once it has passed
    # by INTERVIEW_DATE_GRACE_DAYS (preparation.services.interview_dates_purge).
    interview_on = models.DateField(null=True, blank=True)
    # The interview date whose reminder went, so a moved date is reminded again.
    reminded_for = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Preparation of {self.user}"
