from django import forms
from django.contrib import admin

from .models import Company, InterviewerProfile, InterviewType, Language, company_key
from .photos import PhotoRejected, photo_reencode


class InterviewerProfileForm(forms.ModelForm):
    class Meta:
        model = InterviewerProfile
        fields = [
            "user",
            "slug",
            "display_name",
            "headline",
            "bio",
            "photo",
            "past_roles",
            "companies",
            "seniority",
            "years_experience",
            "languages",
            "is_listed",
            "min_notice_minutes",
            "horizon_days",
            "buffer_minutes",
            "max_sessions_per_day",
            "calcom_event_type_id",
        ]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "content_type"):
            return photo  # unchanged or cleared
        try:
            clean, content_type = photo_reencode(photo.read())
        except PhotoRejected as refusal:
            raise forms.ValidationError(refusal.message) from None
        self.instance.photo_content_type = content_type
        return clean


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "slug", "aliases"]

    def clean(self):
        """A name or alias belongs to one company only, or the directory's filter could not
        tell which one is meant."""
        cleaned = super().clean()
        mine = {
            company_key(n)
            for n in [
                cleaned.get("name", ""),
                cleaned.get("slug", ""),
                *cleaned.get("aliases", "").splitlines(),
            ]
            if n.strip()
        }
        for other in Company.objects.exclude(pk=self.instance.pk):
            if shared := mine & other.keys:
                raise forms.ValidationError(
                    f"{', '.join(sorted(shared))} already names {other.name}."
                )
        return cleaned


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyForm
    list_display = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "aliases"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(InterviewType)
class InterviewTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "price_display", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["interviewers"]


@admin.register(InterviewerProfile)
class InterviewerProfileAdmin(admin.ModelAdmin):
    form = InterviewerProfileForm
    list_display = ["display_name", "headline", "seniority", "years_experience", "is_listed"]
    filter_horizontal = ["companies", "languages"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}
    search_fields = ["display_name", "user__email"]
