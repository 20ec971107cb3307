from django import forms
from django.urls import reverse
from django.utils.html import format_html

from mockri.lib.client_ip import client_ip
from mockri.lib.text import single_line
from mockri.lib.tz import canonical_timezone, canonical_timezones, is_valid_timezone

from .models import DEFAULT_TIMEZONE, ConsentSource, User
from .services import consent_record

UNDER_18_MESSAGE = (
    "Mockri is only for people aged 18 or over, so we can't create an account for you. "
    "Nothing you typed has been stored."
)
POLICY_REQUIRED_MESSAGE = "Please read and accept the Privacy Policy to create an account."


def privacy_policy_label():
    return format_html(
        'I have read the <a href="{}" target="_blank" rel="noopener">Privacy Policy</a>',
        reverse("privacy:policy"),
    )


class ConsentFieldsMixin(forms.Form):
    is_adult = forms.BooleanField(
        label="I am 18 or older", required=True, error_messages={"required": UNDER_18_MESSAGE}
    )
    accepts_privacy_policy = forms.BooleanField(
        required=True, error_messages={"required": POLICY_REQUIRED_MESSAGE}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepts_privacy_policy"].label = privacy_policy_label()


class SignupExtrasForm(ConsentFieldsMixin):
    """What Mockri asks at sign-up beyond email and password, on both paths (password and Google).

    allauth builds its sign-up forms on this class and calls `signup()` once the user exists.
    """

    full_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    # Filled by the browser's own time zone (static/js/timezone.js); editable in the profile.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput)
    field_order = ["full_name", "email", "password1", "is_adult", "accepts_privacy_policy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sociallogin = getattr(self, "sociallogin", None)
        if sociallogin is not None and not self.is_bound:
            self.initial.setdefault("full_name", sociallogin.account.extra_data.get("name", ""))

    def clean_full_name(self) -> str:
        name = single_line(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError("Please tell us your name.")
        return name

    def clean_timezone(self) -> str:
        zone = self.cleaned_data.get("timezone") or ""
        return canonical_timezone(zone) if is_valid_timezone(zone) else DEFAULT_TIMEZONE

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.timezone = self.cleaned_data["timezone"]
        user.save(update_fields=["full_name", "timezone"])
        source = (
            ConsentSource.GOOGLE
            if getattr(self, "sociallogin", None) is not None
            else ConsentSource.SIGNUP_FORM
        )
        consent_record(user=user, source=source, ip_address=client_ip(request))


class ReconsentForm(forms.Form):
    accepts_privacy_policy = forms.BooleanField(
        required=True, error_messages={"required": "Please accept the new Privacy Policy."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepts_privacy_policy"].label = privacy_policy_label()


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=[],
        help_text="Every time we show you, on pages and in emails, is in this time zone.",
    )

    class Meta:
        model = User
        fields = ["full_name", "timezone"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["timezone"].choices = [(zone, zone) for zone in canonical_timezones()]

    def clean_full_name(self) -> str:
        name = single_line(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError("Please tell us your name.")
        return name
