"""The endpoints the booking forms' script sends files through in parts, and the booking and
correction forms taking the upload's token instead of the file."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking, Upload
from tests.bookings.test_views import booking_post, details_url
from tests.fixtures import PDF_BYTES, docx_bytes

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
# A resume at the 5 MB limit: more than one request may carry on Vercel.
FIVE_MB_PDF = PDF_BYTES + b"0" * (5 * MB - len(PDF_BYTES))


class MeasuringClient(Client):
    """A test client that notes the body size of every request it sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_sizes: list[int] = []

    def request(self, **request):
        self.body_sizes.append(int(request.get("CONTENT_LENGTH") or 0))
        return super().request(**request)


def send_in_parts(client, data: bytes, *, kind="resume", name="Kavya CV.pdf", **headers):
    """What chunked-upload.js does for one file; returns the completion's response."""
    started = client.post(
        reverse("bookings:upload_start"),
        {"kind": kind, "size": len(data), "name": name},
        headers=headers,
    )
    assert started.status_code == 201, started.json()
    upload = started.json()
    size = upload["part_size"]
    for number in range(upload["parts"]):
        sent = client.post(
            f"{upload['parts_url']}{number}/",
            {"part": SimpleUploadedFile("part", data[number * size : (number + 1) * size])},
            headers=headers,
        )
        assert sent.status_code == 200, sent.json()
    return client.post(upload["complete_url"], headers=headers)


def test_a_5_mb_resume_goes_in_two_requests_under_vercels_limit_and_books(
    settings,
    now,
    candidate,
    paid_type,
    profile,
    private_storage,
    django_capture_on_commit_callbacks,
):
    # As on Vercel: Mockri itself refuses any body over 4,400,000 bytes.
    settings.REQUEST_BODY_MAX_BYTES = 4_400_000
    client = MeasuringClient()
    client.force_login(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        done = send_in_parts(client, FIVE_MB_PDF)
        token = done.json()["token"]
        response = client.post(
            details_url(paid_type), booking_post(resume=None, resume_upload=token)
        )

    assert done.json() == {"token": token, "name": "Kavya CV.pdf", "size": 5 * MB}
    assert response.status_code == 302
    resume = Booking.objects.get().files.get()
    assert (resume.original_name, resume.size_bytes) == ("Kavya CV.pdf", 5 * MB)
    assert (private_storage / resume.file.name).read_bytes() == FIVE_MB_PDF
    # start, two parts, complete, the form
    assert len(client.body_sizes) == 5
    assert 4 * MB < max(client.body_sizes) < 4 * MB + 1024
    assert max(client.body_sizes) < 4_400_000 < 4.5 * 1000 * 1000
    # Nothing else is left: the parts, the joined file and the upload went.
    assert not Upload.objects.exists()
    assert [p.name for p in private_storage.rglob("*") if p.is_file()] == [
        resume.file.name.rsplit("/", 1)[-1]
    ]


def test_the_same_5_mb_resume_posted_with_the_form_is_refused_on_vercel_with_mockris_413(
    settings, now, candidate, paid_type, profile, private_storage
):
    settings.REQUEST_BODY_MAX_BYTES = 4_400_000
    client = Client()
    client.force_login(candidate)

    response = client.post(
        details_url(paid_type),
        booking_post(resume=SimpleUploadedFile("Kavya CV.pdf", FIVE_MB_PDF)),
    )

    assert response.status_code == 413
    assert "That was too large to send" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_plain_file_still_books_without_the_script(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post())

    assert response.status_code == 302
    assert Booking.objects.get().files.get().original_name == "Kavya CV.pdf"


def test_a_token_is_used_once(
    client, now, candidate, paid_type, profile, private_storage, django_capture_on_commit_callbacks
):
    client.force_login(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        token = send_in_parts(client, PDF_BYTES).json()["token"]
        client.post(details_url(paid_type), booking_post(resume=None, resume_upload=token))

    again = client.post(
        details_url(paid_type),
        booking_post(resume=None, resume_upload=token, idempotency_key=str(uuid.uuid4())),
    )

    assert again.status_code == 422
    assert again.context["form"].errors["resume"] == [
        "This upload has expired or was already used. Please choose the file again."
    ]
    assert Booking.objects.count() == 1


def test_another_persons_token_does_not_book_with_their_file(
    client, now, candidate, other_candidate, paid_type, profile, private_storage
):
    client.force_login(other_candidate)
    token = send_in_parts(client, PDF_BYTES).json()["token"]
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post(resume=None, resume_upload=token))

    assert response.status_code == 422
    assert "already used" in response.context["form"].errors["resume"][0]
    assert not Booking.objects.exists()
    assert Upload.objects.get().owner == other_candidate


def test_a_form_coming_back_with_a_problem_keeps_the_uploaded_files(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)
    token = send_in_parts(client, PDF_BYTES).json()["token"]

    response = client.post(
        details_url(paid_type),
        booking_post(resume=None, resume_upload=token, job_description_text=""),
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert f'name="resume_upload" value="{token}"' in page
    assert "Uploaded: Kavya CV.pdf. Choose another file only to replace it." in page
    assert Upload.objects.get().status == "complete"  # not used up


def test_a_job_description_can_come_in_parts_too(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)
    text = b"Staff engineer, payments platform. Go, Kafka, PostgreSQL.\n" * 3
    token = send_in_parts(client, text, kind="job_description", name="role.txt").json()["token"]

    response = client.post(
        details_url(paid_type),
        booking_post(job_description_text="", job_description_upload=token),
    )

    assert response.status_code == 302
    files = {f.kind: f for f in Booking.objects.get().files.all()}
    assert (files["job_description"].original_name, files["job_description"].size_bytes) == (
        "role.txt",
        len(text),
    )


def test_the_booking_page_loads_the_script_and_marks_the_file_fields(
    client, now, candidate, paid_type, profile
):
    client.force_login(candidate)

    page = client.get(details_url(paid_type)).content.decode()

    assert "js/chunked-upload.js" in page
    assert f'data-upload-start="{reverse("bookings:upload_start")}"' in page
    assert 'data-upload-kind="resume" data-upload-token="resume_upload"' in page
    assert 'name="resume_upload"' in page


# --- The correction form ----------------------------------------------------------------------


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


def test_the_candidate_replaces_the_resume_with_an_upload_sent_in_parts(
    settings, client, booking, candidate, private_storage, django_capture_on_commit_callbacks
):
    client.force_login(candidate)
    settings.UPLOAD_CHUNK_BYTES = 512
    data = docx_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        token = send_in_parts(client, data, name="new cv.docx").json()["token"]
        response = client.post(
            reverse("bookings:replace_file", kwargs={"reference": booking.reference}),
            {"kind": "resume", "upload": token},
        )

    new = booking.files.get()
    assert response.url == booking.get_absolute_url()
    assert (new.original_name, new.size_bytes) == ("new cv.docx", len(data))
    assert (private_storage / new.file.name).read_bytes() == data
    assert not Upload.objects.exists()


def test_a_job_description_token_does_not_replace_the_resume(
    client, booking, candidate, private_storage
):
    client.force_login(candidate)
    token = send_in_parts(client, PDF_BYTES, kind="job_description").json()["token"]
    old = booking.files.get()

    response = client.post(
        reverse("bookings:replace_file", kwargs={"reference": booking.reference}),
        {"kind": "resume", "upload": token},
        follow=True,
    )

    assert "expired or was already used" in response.content.decode()
    assert booking.files.get() == old
    assert Upload.objects.get().status == "complete"


def test_the_detail_page_offers_the_script_to_the_candidate(client, booking, candidate):
    client.force_login(candidate)

    page = client.get(booking.get_absolute_url()).content.decode()

    assert "js/chunked-upload.js" in page
    assert 'data-upload-kind="resume" data-upload-token="upload"' in page


# --- The endpoints ----------------------------------------------------------------------------


def test_the_endpoints_need_a_signed_in_person(client, now):
    response = client.post(
        reverse("bookings:upload_start"), {"kind": "resume", "size": 10, "name": "cv.pdf"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Upload.objects.exists()


def test_the_endpoints_need_the_csrf_token(now, candidate, private_storage):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    client.get(reverse("bookings:list"))  # sets the CSRF cookie, as the booking page does
    data = {"kind": "resume", "size": len(PDF_BYTES), "name": "cv.pdf"}

    refused = client.post(reverse("bookings:upload_start"), data)
    done = send_in_parts(client, PDF_BYTES, X_CSRFToken=client.cookies["csrftoken"].value)

    assert refused.status_code == 403
    assert done.status_code == 200
    assert Upload.objects.get().status == "complete"


def test_a_refusal_answers_json_with_its_status(client, now, candidate, private_storage):
    client.force_login(candidate)
    started = client.post(
        reverse("bookings:upload_start"), {"kind": "resume", "size": len(PDF_BYTES), "name": "a"}
    ).json()

    early = client.post(started["complete_url"])
    missing = client.post(f"{started['parts_url']}0/", {})
    too_big = client.post(
        reverse("bookings:upload_start"), {"kind": "resume", "size": 6 * MB, "name": "big.pdf"}
    )
    nonsense = client.post(reverse("bookings:upload_start"), {"kind": "resume", "size": "-1"})

    assert (early.status_code, early.json()) == (
        409,
        {"error": "Only 0 of this upload's 1 parts have arrived."},
    )
    assert (missing.status_code, missing.json()) == (
        400,
        {"error": "Send the part as the file field 'part'."},
    )
    assert (too_big.status_code, too_big.json()) == (
        413,
        {"error": "Your resume is 6.0 MB; the limit is 5 MB. Please upload a smaller file."},
    )
    assert nonsense.status_code == 400
    assert Upload.objects.count() == 1


def test_someone_elses_upload_gives_404_and_takes_no_part(
    client, now, candidate, other_candidate, private_storage
):
    client.force_login(candidate)
    started = client.post(
        reverse("bookings:upload_start"), {"kind": "resume", "size": len(PDF_BYTES), "name": "a"}
    ).json()
    client.force_login(other_candidate)

    part = client.post(f"{started['parts_url']}0/", {"part": SimpleUploadedFile("part", PDF_BYTES)})
    complete = client.post(started["complete_url"])

    assert (part.status_code, complete.status_code) == (404, 404)
    assert Upload.objects.get().parts_received == 0
    assert not any(p.is_file() for p in private_storage.rglob("*"))


def test_the_endpoints_are_rate_limited(settings, client, now, candidate, shared_cache):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": "2/m/user"}
    client.force_login(candidate)
    data = {"kind": "resume", "size": 10, "name": "a.pdf"}

    statuses = [client.post(reverse("bookings:upload_start"), data).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert Upload.objects.count() == 2


def test_a_booking_made_with_uploads_is_an_ordinary_booking(
    client, now, candidate, free_type, profile, private_storage
):
    client.force_login(candidate)
    token = send_in_parts(client, PDF_BYTES).json()["token"]

    client.post(details_url(free_type), booking_post(resume=None, resume_upload=token))

    assert Booking.objects.get().status == BookingStatus.CONFIRMED
