import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mockri.catalogue.admin import InterviewerProfileForm
from tests.factories import InterviewerProfileFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, format="PNG")
    return out.getvalue()


def form_for(profile, photo):
    data = {
        "user": profile.user_id,
        "slug": profile.slug,
        "display_name": profile.display_name,
        "headline": profile.headline,
        "bio": "",
        "past_roles": "[]",
        "years_experience": 5,
        "is_listed": True,
        "min_notice_minutes": 720,
        "horizon_days": 30,
        "buffer_minutes": 15,
        "max_sessions_per_day": 3,
    }
    return InterviewerProfileForm(data, {"photo": photo}, instance=profile)


def test_staff_upload_a_photo_that_is_drawn_again_as_a_jpeg(private_storage):
    profile = InterviewerProfileFactory()

    form = form_for(profile, SimpleUploadedFile("me.png", png_bytes()))

    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.photo_content_type == "image/jpeg"
    assert "me" not in saved.photo.name
    with saved.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"


def test_a_page_renamed_as_a_photo_is_refused(private_storage):
    form = form_for(InterviewerProfileFactory(), SimpleUploadedFile("me.jpg", b"<svg onload=x>"))

    assert not form.is_valid()
    assert "JPEG, PNG, GIF or WebP" in str(form.errors["photo"])


def test_the_photo_is_served_with_its_type_and_shown_on_the_profile(client, private_storage):
    profile = InterviewerProfileFactory(slug="ananya", photo_content_type="image/png")
    profile.photo.save("x", ContentFile(PNG))

    photo = client.get(reverse("catalogue:photo", kwargs={"slug": "ananya"}))
    page = client.get(profile.get_absolute_url()).content.decode()

    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert profile.photo_url in page


def test_no_photo_or_an_unlisted_interviewer_is_not_found(client, private_storage):
    InterviewerProfileFactory(slug="plain")
    hidden = InterviewerProfileFactory(
        slug="hidden", is_listed=False, photo_content_type="image/png"
    )
    hidden.photo.save("x", ContentFile(PNG))

    for slug in ["plain", "hidden"]:
        assert client.get(reverse("catalogue:photo", kwargs={"slug": slug})).status_code == 404
