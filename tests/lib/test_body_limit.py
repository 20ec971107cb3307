"""A request body larger than anything Mockri accepts is refused before it is read."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from mockri.lib.middleware import RequestBodyLimitMiddleware
from mockri.privacy.models import Grievance
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db


class UnreadableBody(io.BytesIO):
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(length: int, **extra):
    environ = RequestFactory().post(reverse("privacy:grievance")).environ
    environ.update(CONTENT_LENGTH=str(length), **extra)
    environ["wsgi.input"] = UnreadableBody()
    return environ


def test_the_limit_is_a_little_above_the_largest_booking_upload():
    assert settings.REQUEST_BODY_MAX_BYTES == 11 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


def test_a_200_mb_post_is_refused_with_413_without_reading_it():
    response = Client().generic(
        "POST", reverse("privacy:grievance"), "", **post_declaring(200 * 1024 * 1024)
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large to send" in page
    assert "up to 5 MB each" in page
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert not Grievance.objects.exists()


def test_a_body_one_byte_over_the_limit_is_refused():
    response = Client().generic(
        "POST",
        reverse("privacy:grievance"),
        "",
        **post_declaring(settings.REQUEST_BODY_MAX_BYTES + 1),
    )

    assert response.status_code == 413


def test_a_body_within_the_limit_reaches_the_view(client, now):
    response = client.post(
        reverse("privacy:grievance"),
        {"name": "Kavya", "email": "kavya@example.com", "kind": "other", "message": "Hello"},
    )

    assert response.status_code == 200
    assert Grievance.objects.count() == 1


def test_a_chunked_body_without_a_length_is_never_read():
    """Under WSGI Django reads only Content-Length bytes: a chunked body reads as empty."""
    environ = post_declaring(0, HTTP_TRANSFER_ENCODING="chunked")
    del environ["CONTENT_LENGTH"]
    request = RequestFactory().request(**environ)
    seen = []

    def view(request):
        seen.append(dict(request.POST))
        return None

    RequestBodyLimitMiddleware(view)(request)

    assert seen == [{}]


def vercel_setting_values(tmp_path, **env) -> dict | str:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.REQUEST_BODY_MAX_BYTES, settings.UPLOAD_CHUNK_BYTES]))"
    )
    result = run_django(
        ["-c", code], {"DJANGO_SETTINGS_MODULE": "mockri.settings", **env}, tmp_path
    )
    return json.loads(result.stdout) if result.returncode == 0 else result.stderr


def test_on_vercel_mockri_refuses_bodies_a_little_under_vercels_own_4_5_mb(tmp_path):
    assert vercel_setting_values(tmp_path, VERCEL="1") == [4_400_000, 4 * 1024 * 1024]
    assert vercel_setting_values(tmp_path) == [11 * 1024 * 1024, 4 * 1024 * 1024]


def test_a_part_size_that_would_not_fit_in_one_request_on_vercel_fails_at_start_up(tmp_path):
    error = vercel_setting_values(tmp_path, VERCEL="1", UPLOAD_CHUNK_BYTES=str(4_400_000))

    assert "UPLOAD_CHUNK_BYTES must leave 64 KiB for the request's framing" in error
