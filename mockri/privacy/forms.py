from django import forms

from mockri.lib.forms import NameField

from .models import GrievanceKind


class GrievanceForm(forms.Form):
    name = NameField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        help_text="For a request about your data, use your account's email address so we can "
        "confirm it is you."
    )
    kind = forms.ChoiceField(label="What is it about?", choices=GrievanceKind.choices)
    message = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please tell us what it is about."},
    )
    # Left empty by people; filled by bots that fill every field. Hidden with CSS, not inline.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class AccountDeleteForm(forms.Form):
    understood = forms.BooleanField(
        label="I understand that my account and data will be deleted and this cannot be undone.",
        error_messages={"required": "Tick the box to confirm you want your account deleted."},
    )


class NomineeForm(forms.Form):
    name = NameField(max_length=150, label="Their full name")
    email = forms.EmailField(label="Their email address")
    relationship = forms.CharField(
        max_length=60, label="How you know them", help_text="For example: spouse, parent, friend."
    )
