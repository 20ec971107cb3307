from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import URLValidator

from mockri.accounts.forms import ConsentFieldsMixin
from mockri.catalogue.models import InterviewerProfile, Seniority
from mockri.catalogue.photos import PhotoRejected, photo_reencode
from mockri.catalogue.selectors import interview_types_listed
from mockri.lib.forms import NameField
from mockri.lib.text import single_line

from .enums import ApplicationOrder
from .models import MAX_YEARS_EXPERIENCE
from .services import ApplicationDetails, PhotoChange, ProfileDetails

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


MAX_PAST_ROLES = 8


class ProfileForm(forms.Form):
    """An interviewer's own profile: onboarding's first step and later edits."""

    headline = forms.CharField(
        max_length=160, help_text="One line candidates read first, e.g. Staff engineer, ex-Google."
    )
    bio = forms.CharField(
        label="About you",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you have built, how many interviews you have run, what you look for.",
    )
    photo = forms.FileField(
        required=False,
        help_text="JPEG, PNG, GIF or WebP up to 5 MB. We re-draw it: location and camera "
        "details in the file never reach your profile.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")
    current_role = NameField(max_length=120, label="Current role")
    current_company = NameField(max_length=120, label="Current company")
    past_roles = forms.CharField(
        label="Past roles",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, role then company after a comma, e.g. Senior Engineer, Flipkart.",
    )
    seniority = forms.ChoiceField(choices=[("", "Choose your level"), *Seniority.choices])
    years_experience = forms.IntegerField(
        label="Years of experience", min_value=0, max_value=MAX_YEARS_EXPERIENCE
    )
    languages = CommaListField(
        label="Languages you can interview in",
        item_max_length=40,
        help_text="Separate them with commas, for example: English, Hindi.",
    )
    interview_types = forms.ModelMultipleChoiceField(
        label="Interviews you take",
        queryset=interview_types_listed(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one kind of interview."},
    )

    @classmethod
    def initial_for(cls, profile: InterviewerProfile) -> dict:
        roles = [(r.get("role", ""), r.get("company", "")) for r in profile.past_roles]
        current_role, current_company = roles[0] if roles else ("", "")
        return {
            "headline": profile.headline,
            "bio": profile.bio,
            "current_role": current_role,
            "current_company": current_company,
            "past_roles": "\n".join(
                f"{role}, {company}".strip(", ") for role, company in roles[1:]
            ),
            "seniority": profile.seniority,
            "years_experience": profile.years_experience,
            "languages": ", ".join(language.name for language in profile.languages.all()),
            "interview_types": list(profile.interview_types.all()),
        }

    def clean_past_roles(self) -> list[tuple[str, str]]:
        roles = []
        for line in self.cleaned_data["past_roles"].splitlines():
            if not line.strip():
                continue
            role, _, company = single_line(line).rpartition(",")
            if not role:  # no comma: just a company
                role, company = "", company
            if len(role) > 120 or len(company.strip()) > 120:
                raise forms.ValidationError("Keep each role and company under 120 characters.")
            roles.append((role.strip(), company.strip()))
        if len(roles) > MAX_PAST_ROLES:
            raise forms.ValidationError(f"Please list at most {MAX_PAST_ROLES} past roles.")
        return roles

    def clean_photo(self) -> PhotoChange | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            content, content_type = photo_reencode(upload.read())
        except PhotoRejected as refusal:
            raise forms.ValidationError(refusal.message) from None
        return PhotoChange(content=content, content_type=content_type)

    def photo_change(self) -> PhotoChange | None:
        if self.cleaned_data["photo"] is not None:
            return self.cleaned_data["photo"]
        return PhotoChange(content=None) if self.cleaned_data["remove_photo"] else None

    def details(self) -> ProfileDetails:
        data = self.cleaned_data
        return ProfileDetails(
            headline=single_line(data["headline"]),
            bio=data["bio"].strip(),
            current_role=data["current_role"],
            current_company=data["current_company"],
            past_roles=data["past_roles"],
            seniority=data["seniority"],
            years_experience=data["years_experience"],
            languages=data["languages"],
            interview_types=list(data["interview_types"]),
        )


class CalendarForm(forms.Form):
    calcom_event_type_id = forms.IntegerField(
        label="Your Cal.com event type id",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The number in the event type's address in Cal.com. Its length must match the "
        "interviews you take. Leave it empty to be added as a guest to Mockri's own event type.",
    )


class HoldForm(forms.Form):
    """Staff pausing, unlisting or resuming an interviewer: the reason goes on the record."""

    action = forms.ChoiceField(
        choices=[("pause", "Pause"), ("unlist", "Unlist"), ("resume", "Resume")]
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason: it is kept on the interviewer's record."},
    )
