"""Booking files sent in parts ahead of their form (upload_services): parts, completion, the
same checks as a posted file, ownership, limits, expiry and clean-up."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from mockri.bookings import personal_data
from mockri.bookings.enums import FileKind, UploadStatus
from mockri.bookings.models import Booking, Upload
from mockri.bookings.services import NewFile
from mockri.bookings.upload_services import (
    GONE,
    UPLOAD_KEPT,
    UPLOAD_MAX_OPEN,
    UploadRefused,
    upload_complete,
    upload_for_form,
    upload_part_add,
    upload_start,
    uploads_expire,
)
from mockri.privacy.registry import ExportArchive
from mockri.privacy.services import retention_run
from tests.fixtures import NOW, PDF_BYTES, docx_bytes

pytestmark = pytest.mark.django_db
PART = 30  # bytes per part here, so PDF_BYTES (64 bytes) comes in three parts


@pytest.fixture(autouse=True)
def small_parts(settings, private_storage):
    settings.UPLOAD_CHUNK_BYTES = PART


def stored(private_storage) -> list[str]:
    """Every stored file, relative to the storage's root."""
    return sorted(
        str(path.relative_to(private_storage))
        for path in private_storage.rglob("*")
        if path.is_file()
    )


def start(owner, data=PDF_BYTES, kind=FileKind.RESUME, name="Kavya CV.pdf"):
    return upload_start(owner=owner, kind=kind, size_bytes=len(data), name=name, now=NOW)


def send_part(owner, upload, data, number):
    part = data[number * PART : (number + 1) * PART]
    return upload_part_add(
        owner=owner,
        upload_id=upload.pk,
        number=number,
        part=SimpleUploadedFile("part", part),
        now=NOW,
    )


def send_all(owner, data=PDF_BYTES, kind=FileKind.RESUME, name="Kavya CV.pdf"):
    upload = start(owner, data, kind, name)
    for number in range(upload.part_count):
        send_part(owner, upload, data, number)
    return upload


def refusal(call) -> tuple[int, str]:
    with pytest.raises(UploadRefused) as caught:
        call()
    return caught.value.status, caught.value.message


def test_a_file_sent_in_three_parts_is_joined_checked_and_its_parts_deleted(
    candidate, private_storage, django_capture_on_commit_callbacks
):
    upload = send_all(candidate)
    prefix = f"uploads/{candidate.pk}/{upload.pk.hex}"
    assert stored(private_storage) == [f"{prefix}/0", f"{prefix}/1", f"{prefix}/2"]

    with django_capture_on_commit_callbacks(execute=True):
        done = upload_complete(owner=candidate, upload_id=upload.pk, now=NOW)

    done.refresh_from_db()
    assert (done.status, done.name, done.file, done.completed_at) == (
        UploadStatus.COMPLETE,
        "Kavya CV.pdf",
        f"{prefix}/file",
        NOW,
    )
    assert stored(private_storage) == [f"{prefix}/file"]
    assert (private_storage / done.file).read_bytes() == PDF_BYTES


def test_the_part_size_is_fixed_when_the_upload_starts(candidate, settings):
    upload = start(candidate)
    settings.UPLOAD_CHUNK_BYTES = 1024

    send_part(candidate, upload, PDF_BYTES, 0)

    assert (upload.part_size_bytes, upload.part_count) == (PART, 3)


def test_a_part_sent_before_the_one_expected_is_refused_and_not_stored(candidate, private_storage):
    upload = start(candidate)

    assert refusal(lambda: send_part(candidate, upload, PDF_BYTES, 1)) == (
        409,
        "Part 1 came before part 0: send the parts in order.",
    )
    assert stored(private_storage) == []
    assert Upload.objects.get().parts_received == 0


def test_a_part_sent_twice_is_refused_the_second_time(candidate, private_storage):
    upload = start(candidate)
    send_part(candidate, upload, PDF_BYTES, 0)

    assert refusal(lambda: send_part(candidate, upload, PDF_BYTES, 0)) == (
        409,
        "Part 0 was already received.",
    )
    assert stored(private_storage) == [f"{upload.prefix}/0"]
    assert Upload.objects.get().parts_received == 1


def test_a_part_beyond_the_last_is_refused(candidate, private_storage):
    upload = send_all(candidate)

    status, message = refusal(lambda: send_part(candidate, upload, PDF_BYTES + b"x" * 40, 3))

    assert (status, message) == (
        400,
        "This upload has 3 parts, numbered from 0; there is no part 3.",
    )
    assert len(stored(private_storage)) == 3


def test_a_part_of_another_size_than_agreed_is_refused(candidate, private_storage):
    upload = start(candidate)

    status, message = refusal(
        lambda: upload_part_add(
            owner=candidate,
            upload_id=upload.pk,
            number=0,
            part=SimpleUploadedFile("part", b"x" * (PART + 1)),
            now=NOW,
        )
    )

    assert (status, message) == (400, f"Part 0 must be {PART} bytes, not {PART + 1}.")
    assert stored(private_storage) == []


def test_someone_elses_upload_is_unknown_to_a_part_and_to_completion(
    candidate, other_candidate, private_storage
):
    upload = start(candidate)

    assert refusal(lambda: send_part(other_candidate, upload, PDF_BYTES, 0)) == (
        404,
        "There is no such upload.",
    )
    assert refusal(
        lambda: upload_complete(owner=other_candidate, upload_id=upload.pk, now=NOW)
    ) == (404, "There is no such upload.")
    assert stored(private_storage) == []
    assert Upload.objects.get().parts_received == 0


def test_a_file_over_the_limit_is_refused_before_anything_is_stored(candidate):
    status, message = refusal(
        lambda: upload_start(
            owner=candidate,
            kind=FileKind.RESUME,
            size_bytes=5 * 1024 * 1024 + 1,
            name="big.pdf",
            now=NOW,
        )
    )

    assert (status, message) == (
        413,
        "Your resume is 5.0 MB; the limit is 5 MB. Please upload a smaller file.",
    )
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("kind", "size", "expected"),
    [
        (FileKind.RESUME, 0, (400, "Your resume file is empty.")),
        ("photo", 10, (400, "Uploads are for a resume or a job description.")),
    ],
)
def test_an_empty_file_or_another_kind_is_refused(candidate, kind, size, expected):
    assert (
        refusal(
            lambda: upload_start(owner=candidate, kind=kind, size_bytes=size, name="x", now=NOW)
        )
        == expected
    )
    assert not Upload.objects.exists()


def test_completing_before_every_part_arrived_is_refused_and_keeps_the_parts(
    candidate, private_storage
):
    upload = start(candidate)
    send_part(candidate, upload, PDF_BYTES, 0)

    assert refusal(lambda: upload_complete(owner=candidate, upload_id=upload.pk, now=NOW)) == (
        409,
        "Only 1 of this upload's 3 parts have arrived.",
    )
    assert Upload.objects.get().status == UploadStatus.RECEIVING
    assert stored(private_storage) == [f"{upload.prefix}/0"]


def test_contents_the_checks_refuse_are_refused_with_their_message_and_leave_nothing(
    candidate, private_storage, django_capture_on_commit_callbacks
):
    markup = b"<html><script>alert(1)</script></html>" * 2
    upload = send_all(candidate, data=markup, name="cv.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        status, message = refusal(
            lambda: upload_complete(owner=candidate, upload_id=upload.pk, now=NOW)
        )

    assert (status, message) == (
        422,
        "Your resume must be a PDF or Word (DOCX) file. This file's contents are not, whatever "
        "its name.",
    )
    assert not Upload.objects.exists()
    assert stored(private_storage) == []


def test_a_job_description_may_be_plain_text_and_a_resume_may_not(
    candidate, django_capture_on_commit_callbacks
):
    text = b"Backend engineer, payments team. Go, PostgreSQL, Kafka." * 2
    description = send_all(candidate, data=text, kind=FileKind.JOB_DESCRIPTION, name="jd.txt")
    resume = send_all(candidate, data=text, kind=FileKind.RESUME, name="cv.txt")

    done = upload_complete(owner=candidate, upload_id=description.pk, now=NOW)

    assert done.name == "jd.txt"
    assert refusal(lambda: upload_complete(owner=candidate, upload_id=resume.pk, now=NOW))[0] == 422


def test_a_completed_upload_takes_no_more_parts_and_completes_once(candidate):
    upload = send_all(candidate)
    upload_complete(owner=candidate, upload_id=upload.pk, now=NOW)

    assert refusal(lambda: send_part(candidate, upload, PDF_BYTES, 2)) == (
        409,
        "This upload is already complete.",
    )
    assert refusal(lambda: upload_complete(owner=candidate, upload_id=upload.pk, now=NOW)) == (
        409,
        "This upload is already complete.",
    )


def test_an_upload_a_day_old_takes_no_more_parts(candidate, private_storage):
    upload = start(candidate)

    status, _ = refusal(
        lambda: upload_part_add(
            owner=candidate,
            upload_id=upload.pk,
            number=0,
            part=SimpleUploadedFile("part", PDF_BYTES[:PART]),
            now=NOW + UPLOAD_KEPT,
        )
    )

    assert status == 410
    assert stored(private_storage) == []


def test_a_person_may_have_ten_uploads_open_at_once(candidate, other_candidate):
    for _ in range(UPLOAD_MAX_OPEN):
        start(candidate)

    status, _ = refusal(lambda: start(candidate))

    assert status == 429
    assert Upload.objects.filter(owner=candidate).count() == UPLOAD_MAX_OPEN
    assert start(other_candidate).owner == other_candidate


# --- Using a completed upload -----------------------------------------------------------------


def completed(owner, data=PDF_BYTES, kind=FileKind.RESUME, name="Kavya CV.pdf"):
    upload = send_all(owner, data, kind, name)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the parts are deleted
        return upload_complete(owner=owner, upload_id=upload.pk, now=NOW)


def test_a_completed_upload_gives_the_form_the_file_checked_again(candidate):
    upload = completed(candidate)

    found, uploaded, checked = upload_for_form(
        owner=candidate, token=str(upload.pk), kind=FileKind.RESUME, now=NOW
    )

    assert found == upload
    assert (uploaded.read(), uploaded.name) == (PDF_BYTES, "Kavya CV.pdf")
    assert (checked.content_type, checked.display_name, checked.size_bytes) == (
        "application/pdf",
        "Kavya CV.pdf",
        len(PDF_BYTES),
    )


@pytest.mark.parametrize(
    "case", ["someone else's", "another kind", "unfinished", "expired", "not a token", "unknown"]
)
def test_a_token_the_form_may_not_use_is_refused_alike(candidate, other_candidate, case):
    upload = completed(candidate)
    owner, kind, token, now = candidate, FileKind.RESUME, str(upload.pk), NOW
    if case == "someone else's":
        owner = other_candidate
    elif case == "another kind":
        kind = FileKind.JOB_DESCRIPTION
    elif case == "unfinished":
        token = str(start(candidate).pk)
    elif case == "expired":
        now = NOW + UPLOAD_KEPT
    elif case == "not a token":
        token = "../../etc/passwd"
    else:
        token = str(uuid.uuid4())

    with pytest.raises(ValidationError) as caught:
        upload_for_form(owner=owner, token=token, kind=kind, now=now)

    assert caught.value.messages == [GONE]


def test_a_booking_uses_up_the_upload_and_stores_its_own_copy(
    candidate, paid_type, profile, book, private_storage, django_capture_on_commit_callbacks
):
    upload = completed(candidate)
    found, uploaded, checked = upload_for_form(
        owner=candidate, token=str(upload.pk), kind=FileKind.RESUME, now=NOW
    )

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(
            candidate=candidate,
            interview_type=paid_type,
            interviewer=profile,
            files=[NewFile(FileKind.RESUME, uploaded, checked, upload_id=found.pk)],
        )

    resume = booking.files.get()
    assert (resume.original_name, resume.size_bytes) == ("Kavya CV.pdf", len(PDF_BYTES))
    assert not Upload.objects.exists()
    assert stored(private_storage) == [resume.file.name]
    assert (private_storage / resume.file.name).read_bytes() == PDF_BYTES


def test_an_upload_used_meanwhile_refuses_the_booking_and_stores_nothing(
    candidate, paid_type, profile, book, private_storage, django_capture_on_commit_callbacks
):
    upload = completed(candidate)
    found, uploaded, checked = upload_for_form(
        owner=candidate, token=str(upload.pk), kind=FileKind.RESUME, now=NOW
    )
    Upload.objects.filter(pk=found.pk).delete()  # another request used it first

    with pytest.raises(Exception, match="expired or was already used"):
        book(
            candidate=candidate,
            interview_type=paid_type,
            interviewer=profile,
            files=[NewFile(FileKind.RESUME, uploaded, checked, upload_id=found.pk)],
        )

    assert not Booking.objects.exists()
    assert stored(private_storage) == [found.file]


# --- Retention and erasure --------------------------------------------------------------------


def test_uploads_a_day_old_are_deleted_finished_or_not_and_newer_ones_stay(
    candidate, private_storage, django_capture_on_commit_callbacks
):
    old_done = completed(candidate)
    old_half = start(candidate)
    send_part(candidate, old_half, PDF_BYTES, 0)
    Upload.objects.update(created_at=NOW - UPLOAD_KEPT)
    fresh = start(candidate)
    send_part(candidate, fresh, PDF_BYTES, 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert uploads_expire(now=NOW) == 2

    assert list(Upload.objects.all()) == [fresh]
    assert stored(private_storage) == [f"{fresh.prefix}/0"]
    assert old_done.pk != fresh.pk


def test_the_retention_run_expires_unused_uploads(
    candidate, private_storage, django_capture_on_commit_callbacks
):
    completed(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        result = retention_run(now=NOW + UPLOAD_KEPT + datetime.timedelta(seconds=1))

    assert result["unused uploads"] == 1
    assert stored(private_storage) == []


def test_erasing_a_person_deletes_their_uploads_and_no_one_elses(
    candidate, other_candidate, private_storage, django_capture_on_commit_callbacks
):
    completed(candidate)
    start(candidate)
    theirs = completed(other_candidate, data=docx_bytes(), name="cv.docx")

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(user=candidate, now=NOW)

    assert list(Upload.objects.all()) == [theirs]
    assert stored(private_storage) == [theirs.file]


def test_a_persons_export_describes_their_unused_uploads(candidate, other_candidate):
    completed(candidate)
    completed(other_candidate)

    exported = personal_data.export(user=candidate, archive=ExportArchive())

    assert exported["files_uploaded_but_not_yet_used"] == [
        {
            "kind": "resume",
            "name": "Kavya CV.pdf",
            "size_bytes": len(PDF_BYTES),
            "status": "complete",
            "created_at": NOW,
        }
    ]
