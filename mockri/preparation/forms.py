import datetime

from django import forms

from mockri.catalogue.models import Company, Seniority

from .models import CandidateProfile, TargetRole

# A real interview further ahead than this is a typo more often than a plan.
FURTHEST_AHEAD = datetime.timedelta(days=366)


class CandidateProfileForm(forms.ModelForm):
    """Every field optional; each says what Mockri does with it."""

    target_role = forms.ModelChoiceField(
        queryset=TargetRole.objects.all(),
        required=False,
        empty_label="Not set",
        label="Target role",
        help_text="The job you are preparing for: your plan has one session of each of its "
        "interview rounds.",
    )
    level = forms.ChoiceField(
        choices=[("", "Not set"), *Seniority.choices],
        required=False,
        label="Level",
        help_text="We suggest interviewers who work at that level.",
    )
    target_companies = forms.ModelMultipleChoiceField(
        queryset=Company.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Target companies",
        help_text="We suggest interviewers who worked there when they are free.",
    )
    interview_on = forms.DateField(
        required=False,
        label="Date of your real interview",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="We work a plan back from it and remind you a few days before. We delete "
        "the date a while after it has passed.",
    )

    class Meta:
        model = CandidateProfile
        fields = ["target_role", "level", "target_companies", "interview_on"]

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_interview_on(self):
        day = self.cleaned_data["interview_on"]
        if day is not None and day < self.today:
            raise forms.ValidationError("This date has passed: give the date still to come.")
        if day is not None and day > self.today + FURTHEST_AHEAD:
            raise forms.ValidationError("Give a date within the next year.")
        return day
