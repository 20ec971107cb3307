from django import forms

from .gst import STATE_CHOICES, gstin_problem


class BuyerDetailsForm(forms.Form):
    """The details step's billing fields, shown when tax invoices are issued."""

    place_of_supply = forms.ChoiceField(
        label="Your state",
        choices=[("", "Choose your state"), *STATE_CHOICES],
        help_text="For the GST on your tax invoice.",
    )
    buyer_gstin = forms.CharField(
        label="Your GSTIN",
        required=False,
        max_length=15,
        help_text="Only if your company reimburses you and claims the GST.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_buyer_gstin(self) -> str:
        gstin = self.cleaned_data["buyer_gstin"].strip().upper()
        if gstin and (problem := gstin_problem(gstin)):
            raise forms.ValidationError(problem)
        return gstin

    def clean(self):
        cleaned = super().clean()
        gstin, state = cleaned.get("buyer_gstin"), cleaned.get("place_of_supply")
        if gstin and state and gstin[:2] != state:
            self.add_error(
                "buyer_gstin", "That GSTIN is registered in another state: choose that state."
            )
        return cleaned
