"""Booking files on a private Vercel Blob store (FILE_STORAGE=vercel_blob), end to end against
a local fake of Blob's HTTP API: upload, access-checked download, retention."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking, BookingFile
from mockri.privacy.services import retention_purge
from tests.blob_fake import blob_storage
from tests.bookings.test_upload_views import FIVE_MB_PDF, MeasuringClient, send_in_parts
from tests.bookings.test_views import booking_post, details_url
from tests.fixtures import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def blob_store(settings, private_storage):
    with blob_storage(settings) as fake:
        yield fake


def test_a_resume_uploaded_with_a_booking_is_stored_in_blob_not_on_disk(
    client, now, candidate, paid_type, profile, blob_store, private_storage
):
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post())

    assert response.status_code == 302
    resume = Booking.objects.get().files.get()
    assert blob_store.pathnames() == [resume.file.name]
    assert blob_store.read(resume.file.name) == PDF_BYTES
    assert not private_storage.exists()


def test_the_interviewer_download_streams_the_blob_through_the_access_checked_view(
    client, now, candidate, paid_type, profile, interviewer, two_factor, book, blob_store
):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    two_factor(interviewer)
    client.force_login(interviewer)

    response = client.get(booking.files.get().get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_someone_else_gets_404_and_nothing_is_read_from_blob(
    client, now, candidate, other_candidate, paid_type, profile, book, blob_store
):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    blob_store.requests.clear()
    client.force_login(other_candidate)

    url = reverse("bookings:file", kwargs={"reference": booking.reference, "kind": "resume"})

    assert client.get(url).status_code == 404
    assert blob_store.requests == []


def test_retention_deletes_the_files_from_blob(
    now, candidate, free_type, profile, book, blob_store, django_capture_on_commit_callbacks
):
    session = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    Booking.objects.filter(pk=session.pk).update(status=BookingStatus.COMPLETED)
    assert len(blob_store.pathnames()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        retention_purge(now=session.ends_at + datetime.timedelta(days=90))

    assert not BookingFile.objects.exists()
    assert blob_store.pathnames() == []


def test_a_5_mb_resume_sent_in_parts_goes_through_blob_and_leaves_only_the_bookings_copy(
    now,
    settings,
    candidate,
    paid_type,
    profile,
    blob_store,
    private_storage,
    django_capture_on_commit_callbacks,
):
    settings.REQUEST_BODY_MAX_BYTES = 4_400_000  # as on Vercel
    client = MeasuringClient()
    client.force_login(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        token = send_in_parts(client, FIVE_MB_PDF).json()["token"]
        response = client.post(
            details_url(paid_type), booking_post(resume=None, resume_upload=token)
        )

    assert response.status_code == 302
    resume = Booking.objects.get().files.get()
    assert blob_store.pathnames() == [resume.file.name]
    assert blob_store.read(resume.file.name) == FIVE_MB_PDF
    stored_parts = sorted(
        request.url.params["pathname"]
        for request in blob_store.requests
        if request.method == "PUT" and request.url.params["pathname"].startswith("uploads/")
    )
    prefix = f"uploads/{candidate.pk}/"
    assert [name.removeprefix(prefix).split("/")[1] for name in stored_parts] == ["0", "1", "file"]
    assert max(client.body_sizes) < 4_400_000
    assert not private_storage.exists()
