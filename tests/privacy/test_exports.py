import datetime
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.urls import reverse

from mockri.notifications.models import OutboxEmail
from mockri.privacy.exports import data_export_request, data_exports_expire
from mockri.privacy.models import DataExport, DataExportStatus, PurgeLog
from tests.fixtures import NOW, PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def build_export(now, task_queue, django_capture_on_commit_callbacks):
    """Ask for a copy, run the worker, and return the link from the email."""

    def build(user) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            data_export_request(user=user, requested_by=user, now=NOW)
        with django_capture_on_commit_callbacks(execute=True):
            task_queue.run_all_except("outbox_send_task")
        email = OutboxEmail.objects.get(kind="data_export_ready", recipient=user)
        return re.search(r"https?://\S+/account/data/export/\S+/", email.text_body).group(0)

    return build


def path_of(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def download(client, link):
    response = client.get(path_of(link))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_the_copy_holds_every_category_and_the_files(
    data_everywhere, candidate, client, reauthenticated, build_export, private_storage
):
    link = build_export(candidate)
    reauthenticated(candidate)

    response, body = download(client, link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="mockri-data-')
    archive = zipfile.ZipFile(io.BytesIO(body))
    data = json.loads(archive.read("data.json"))
    assert data["accounts"]["account"]["email"] == "kavya@example.com"
    assert data["accounts"]["consents"][0]["source"] == "signup_form"
    bookings = data["bookings"]["bookings"]
    assert {b["reference"] for b in bookings} == {
        data_everywhere["session"].reference,
        data_everywhere["paid"].reference,
    }
    session = next(b for b in bookings if b["reference"] == data_everywhere["session"].reference)
    assert session["target_company"] == "Razorpay"
    assert session["job_description_text"] == "Backend engineer, payments team."
    assert session["who_opened_your_files"][0]["opened_by"] == "your interviewer, Ananya Iyer"
    (payment,) = data["payments"]["payments"]
    assert (payment["payment_id"], payment["amount_paise"]) == ("pay_Kavya0001", 199_900)
    assert payment["receipt"].startswith("MKR-")
    assert data["meetings"]["meetings"][0]["url"] == "https://meet.jit.si/mockri-abc"
    assert any(
        e["kind"] == "grievance_received" for e in data["notifications"]["emails_sent_to_you"]
    )
    assert data["privacy"]["requests_and_grievances"][0]["message"] == (
        "Please spell my surname Sharma."
    )
    resume = session["files"][0]["in_this_archive"]
    assert archive.read(resume) == PDF_BYTES
    assert "README.txt" in archive.namelist()


def test_the_copy_holds_nothing_of_another_person(
    data_everywhere, candidate, other_candidate, client, reauthenticated, build_export
):
    link = build_export(other_candidate)
    reauthenticated(other_candidate)

    _, body = download(client, link)

    archive = zipfile.ZipFile(io.BytesIO(body))
    text = archive.read("data.json").decode()
    assert "rahul@example.com" in text
    for theirs in ["kavya@example.com", "Kavya", "Razorpay", data_everywhere["session"].reference]:
        assert theirs not in text
    assert [name for name in archive.namelist() if name.startswith("files/")] == []


def test_the_link_works_once(candidate, client, reauthenticated, build_export, private_storage):
    link = build_export(candidate)
    reauthenticated(candidate)

    first, _ = download(client, link)
    second, _ = download(client, link)

    assert first.status_code == 200
    assert second.status_code == 410
    assert b"already been used or has expired" in second.content
    assert not any((private_storage / "exports").iterdir())  # the ZIP went with the download


def test_the_link_works_only_for_its_owner(
    candidate, other_candidate, client, reauthenticated, build_export
):
    link = build_export(candidate)

    assert client.get(path_of(link)).status_code == 302  # signed out: sign in first
    reauthenticated(other_candidate)
    assert client.get(path_of(link)).status_code == 404
    assert DataExport.objects.get().status == DataExportStatus.READY


def test_the_link_stops_working_after_24_hours_and_the_copy_is_deleted(
    candidate, client, reauthenticated, build_export, private_storage
):
    link = build_export(candidate)

    with time_machine.travel(NOW + datetime.timedelta(hours=24, seconds=1)):
        reauthenticated(candidate)
        response, _ = download(client, link)
    expired = data_exports_expire(now=NOW + datetime.timedelta(hours=24, seconds=1))

    assert response.status_code == 410
    assert expired == 1
    assert DataExport.objects.get().status == DataExportStatus.EXPIRED
    assert PurgeLog.objects.filter(what__contains="copies of personal data").exists()


def test_a_link_just_before_expiry_still_works(candidate, client, reauthenticated, build_export):
    link = build_export(candidate)

    with time_machine.travel(NOW + datetime.timedelta(hours=23, minutes=59)):
        reauthenticated(candidate)
        response, _ = download(client, link)

    assert response.status_code == 200


def test_asking_needs_recent_authentication(candidate, client, reauthenticated, task_queue):
    client.force_login(candidate)  # signed in long ago, as far as allauth knows

    response = client.post(reverse("privacy:export_request"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not DataExport.objects.exists()


def test_asking_after_confirming_the_password_starts_the_copy(
    candidate, reauthenticated, django_capture_on_commit_callbacks, task_queue
):
    client = reauthenticated(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"), follow=True)

    assert b"preparing a copy of your data" in response.content
    assert DataExport.objects.get().user == candidate
    assert task_queue.names() == ["data_export_build_task"]


def test_one_copy_at_a_time_and_a_daily_limit(candidate, reauthenticated, task_queue, shared_cache):
    client = reauthenticated(candidate)

    client.post(reverse("privacy:export_request"))
    again = client.post(reverse("privacy:export_request"), follow=True)
    assert b"already being prepared" in again.content
    assert DataExport.objects.count() == 1

    client.post(reverse("privacy:export_request"))
    assert client.post(reverse("privacy:export_request")).status_code == 429


def test_another_persons_link_token_gives_404_even_when_guessed_from_their_export(
    candidate, other_candidate, client, reauthenticated, build_export
):
    build_export(other_candidate)
    reauthenticated(candidate)

    assert client.get(reverse("privacy:export_download", args=["guess"])).status_code == 404


def test_the_link_asks_the_owner_to_confirm_it_is_them_first(candidate, client, build_export):
    link = build_export(candidate)
    client.force_login(candidate)

    response = client.get(path_of(link))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert DataExport.objects.get().status == DataExportStatus.READY  # not used up


def test_a_copy_missing_from_storage_gets_a_clear_answer_not_an_error(
    candidate, client, reauthenticated, build_export, private_storage
):
    link = build_export(candidate)
    for stored in (private_storage / "exports").iterdir():
        stored.unlink()
    reauthenticated(candidate)

    response, _ = download(client, link)

    assert response.status_code == 410
    assert b"no longer available" in response.content


def test_a_copy_whose_build_never_finished_does_not_block_a_new_one(candidate, now):
    stuck = data_export_request(user=candidate, requested_by=candidate, now=NOW)
    DataExport.objects.filter(pk=stuck.pk).update(created_at=NOW - datetime.timedelta(hours=2))

    data_export_request(user=candidate, requested_by=candidate, now=NOW)

    stuck.refresh_from_db()
    assert stuck.status == DataExportStatus.FAILED
    assert DataExport.objects.filter(status=DataExportStatus.PREPARING).count() == 1
