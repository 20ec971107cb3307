import decimal

from django import forms
from django.utils.text import slugify

from mockri.catalogue.models import InterviewType

from .models import Pack


class PackForm(forms.ModelForm):
    """Staff's form for a pack: what the admin edited, the price in rupees, the address made
    from the name when left empty."""

    price_rupees = forms.DecimalField(
        label="Price (₹)", min_value=1, max_value=10_000_000, max_digits=10, decimal_places=2
    )

    class Meta:
        model = Pack
        fields = ["name", "slug", "description", "sessions", "interview_types", "validity_days"]
        widgets = {"interview_types": forms.CheckboxSelectMultiple}
        labels = {
            "slug": "Address (/packs/<address>/buy/)",
            "sessions": "Sessions (credits a purchase grants)",
            "validity_days": "Valid for (days from purchase)",
        }
        help_texts = {"slug": "Letters, digits and hyphens; made from the name when empty."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["interview_types"].queryset = InterviewType.objects.order_by("name")
        if self.instance.pk is not None:
            self.initial["price_rupees"] = decimal.Decimal(self.instance.price_paise).scaleb(-2)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get(self.add_prefix("name"), ""))
        if not slug:
            raise forms.ValidationError("Give the pack an address.")
        if Pack.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another pack has this address.")
        return slug

    def clean_sessions(self) -> int:
        sessions = self.cleaned_data["sessions"]
        if sessions < 1:
            raise forms.ValidationError("A pack grants at least one session.")
        return sessions

    def clean_validity_days(self) -> int:
        days = self.cleaned_data["validity_days"]
        if days < 1:
            raise forms.ValidationError("A pack is valid for at least one day.")
        return days

    def clean(self):
        cleaned = super().clean()
        # On the instance before the model's own checks run (a pack sells for at least ₹1).
        if cleaned.get("price_rupees") is not None:
            self.instance.price_paise = int(cleaned["price_rupees"] * 100)
        return cleaned

    def pack(self) -> Pack:
        """The pack with the form's values, not saved (packs.services.pack_save does that)."""
        return self.instance
