from django import forms
from django.contrib import admin

from mockri.lib.images import image_type

from .models import InterviewerProfile, InterviewType

PHOTO_MAX_BYTES = 1024 * 1024


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
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError("The photo must be 1 MB or smaller.")
        kind = image_type(photo.read(16))
        photo.seek(0)
        if kind is None:
            raise forms.ValidationError("The photo must be a JPEG, PNG, GIF or WebP image.")
        self.instance.photo_content_type = kind[0]
        return photo


@admin.register(InterviewType)
class InterviewTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "price_display", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["interviewers"]


@admin.register(InterviewerProfile)
class InterviewerProfileAdmin(admin.ModelAdmin):
    form = InterviewerProfileForm
    list_display = ["display_name", "headline", "years_experience", "is_listed"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}
    search_fields = ["display_name", "user__email"]
