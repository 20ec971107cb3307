from django import forms
from django.utils import timezone

from mockri.lib.dates import BoundedDateTimeField

from .enums import CouponKind
from .models import Coupon
from .services import CouponRefused, coupon_discount, coupon_find


class _CouponCodeForm(forms.Form):
    """A coupon box: an unknown, expired or used-up code, or one not for what is bought, is a
    form error. Subclasses say what the code is checked against."""

    coupon_code = forms.CharField(
        label="Coupon code",
        required=False,
        max_length=32,
        help_text="Checked again when you pay.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def _check(self, coupon) -> None:
        raise NotImplementedError

    def clean_coupon_code(self) -> str:
        code = self.cleaned_data["coupon_code"].strip().upper()
        if code:
            try:
                self._check(coupon_find(code=code))
            except CouponRefused as refusal:
                raise forms.ValidationError(refusal.message) from None
        return code


class CouponForm(_CouponCodeForm):
    """The details step's coupon box, for one session of a type."""

    def __init__(self, *args, candidate, interview_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.interview_type = interview_type

    def _check(self, coupon) -> None:
        coupon_discount(
            coupon,
            self.candidate,
            self.interview_type.price_paise,
            interview_type=self.interview_type,
            now=timezone.now(),
        )


class PackCouponForm(_CouponCodeForm):
    """The coupon box when buying a pack."""

    def __init__(self, *args, candidate, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.pack = pack

    def _check(self, coupon) -> None:
        coupon_discount(
            coupon, self.candidate, self.pack.price_paise, for_pack=True, now=timezone.now()
        )


class CouponCreateForm(forms.ModelForm):
    """Staff's form for a new coupon; amounts in whole rupees."""

    amount_off_rupees = forms.IntegerField(
        label="Flat amount off (₹)", required=False, min_value=1, max_value=1_000_000
    )
    minimum_price_rupees = forms.IntegerField(
        label="Minimum price (₹)", required=False, min_value=0, max_value=1_000_000
    )

    class Meta:
        model = Coupon
        fields = [
            "code",
            "description",
            "kind",
            "percent_off",
            "interview_types",
            "applies_to_sessions",
            "applies_to_packs",
            "starts_at",
            "ends_at",
            "max_uses",
            "max_uses_per_candidate",
            "first_session_only",
        ]
        field_classes = {"starts_at": BoundedDateTimeField, "ends_at": BoundedDateTimeField}
        widgets = {
            "interview_types": forms.CheckboxSelectMultiple,
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        help_texts = {"interview_types": "None ticked: every type."}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError("Use letters, digits, - and _ only.")
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == CouponKind.PERCENT:
            percent = cleaned.get("percent_off")
            if percent is None or not 1 <= percent <= 100:
                self.add_error("percent_off", "Give a percentage from 1 to 100.")
            cleaned["amount_off_rupees"] = None
        elif kind == CouponKind.FLAT:
            if not cleaned.get("amount_off_rupees"):
                self.add_error("amount_off_rupees", "Give the amount off in rupees.")
            cleaned["percent_off"] = None
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must come after the start.")
        if not cleaned.get("applies_to_sessions") and not cleaned.get("applies_to_packs"):
            self.add_error("applies_to_sessions", "Apply it to sessions, packs or both.")
        return cleaned

    def save(self, commit: bool = True) -> Coupon:
        coupon = super().save(commit=False)
        rupees = self.cleaned_data.get("amount_off_rupees")
        coupon.amount_off_paise = rupees * 100 if rupees else None
        coupon.percent_off = self.cleaned_data.get("percent_off")
        coupon.minimum_price_paise = (self.cleaned_data.get("minimum_price_rupees") or 0) * 100
        if commit:
            coupon.save()
            self.save_m2m()
        return coupon
