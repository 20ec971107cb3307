from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import URLValidator

from mockri.accounts.forms import ConsentFieldsMixin
from mockri.catalogue.selectors import interview_types_listed
from mockri.lib.forms import NameField
from mockri.lib.text import single_line

from .enums import ApplicationOrder
from .models import MAX_YEARS_EXPERIENCE
from .services import ApplicationDetails

MAX_LIST_ITEMS = 10


class CommaListField(forms.CharField):
    """Several short entries typed on one line, separated by commas: a list, without repeats."""

    def __init__(self, *, item_max_length: int = 80, **kwargs):
        self.item_max_length = item_max_length
        super().__init__(max_length=1000, **kwargs)

    def clean(self, value) -> list[str]:
        text = super().clean(value)
        items = list(dict.fromkeys(single_line(item) for item in text.split(",") if item.strip()))
        if self.required and not items:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(items) > MAX_LIST_ITEMS:
            raise forms.ValidationError(f"Please list at most {MAX_LIST_ITEMS}.")
        if any(len(item) > self.item_max_length for item in items):
            raise forms.ValidationError(f"Keep each entry under {self.item_max_length} characters.")
        return items


class ApplicationForm(ConsentFieldsMixin):
    full_name = NameField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        help_text="We'll write to you here, and your interviewer account will use it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    current_company = NameField(label="Current company", max_length=120)
    current_role = NameField(
        label="Current role", max_length=120, help_text="For example: Staff Engineer."
    )
    years_experience = forms.IntegerField(
        label="Years of experience", min_value=0, max_value=MAX_YEARS_EXPERIENCE
    )
    companies_interviewed_for = CommaListField(
        label="Companies you have interviewed candidates for",
        required=False,
        help_text="Separate them with commas, for example: Flipkart, Razorpay.",
    )
    interview_types = forms.ModelMultipleChoiceField(
        label="Interviews you'd take",
        queryset=interview_types_listed(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one kind of interview."},
    )
    languages = CommaListField(
        label="Languages you can interview in",
        item_max_length=40,
        help_text="Separate them with commas, for example: English, Hindi.",
        error_messages={"required": "Tell us at least one language."},
    )
    profile_url = forms.CharField(
        label="LinkedIn or portfolio link",
        max_length=300,
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": "Enter a web address starting with https:// or http://."},
        help_text="We read it ourselves; Mockri never fetches it.",
        widget=forms.URLInput,
    )
    motivation = forms.CharField(
        label="Why do you want to interview on Mockri?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Please tell us in a few lines why you'd like to join."},
    )
    # Left empty by people; filled by bots that fill every field (as on the grievance form).
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_adult"].error_messages["required"] = (
            "Interviewers on Mockri must be 18 or older."
        )
        self.fields["accepts_privacy_policy"].error_messages["required"] = (
            "Please read and accept the Privacy Policy to apply."
        )

    def clean_profile_url(self) -> str:
        return self.cleaned_data["profile_url"].strip()

    def clean_motivation(self) -> str:
        text = self.cleaned_data["motivation"].strip()
        if not text:
            raise forms.ValidationError(self.fields["motivation"].error_messages["required"])
        return text

    def details(self) -> ApplicationDetails:
        data = self.cleaned_data
        return ApplicationDetails(
            full_name=data["full_name"],
            email=data["email"],
            current_company=data["current_company"],
            current_role=data["current_role"],
            years_experience=data["years_experience"],
            companies_interviewed_for=data["companies_interviewed_for"],
            interview_types=list(data["interview_types"]),
            languages=data["languages"],
            profile_url=data["profile_url"],
            motivation=data["motivation"],
        )


class QueueFilterForm(forms.Form):
    """The review queue's sort and type filter (GET); anything unknown falls back to all,
    newest first."""

    order = forms.ChoiceField(choices=ApplicationOrder.choices, required=False)
    type = forms.ModelChoiceField(
        queryset=interview_types_listed(), required=False, empty_label="All interview types"
    )

    def values(self) -> dict:
        if not self.is_valid():
            return {"order": ApplicationOrder.NEWEST, "interview_type": None}
        return {
            "order": self.cleaned_data["order"] or ApplicationOrder.NEWEST,
            "interview_type": self.cleaned_data["type"],
        }


class NotesForm(forms.Form):
    staff_notes = forms.CharField(
        label="Notes (staff only)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    reason = forms.CharField(
        label="Reason (emailed to the applicant)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason: the applicant reads it in the email."},
    )


class InvitationAccountForm(forms.Form):
    """A password for the interviewer account an invitation creates."""

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
