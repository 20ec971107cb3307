"""Erasure and data exports on a private Vercel Blob store (FILE_STORAGE=vercel_blob), against
a local fake of Blob's HTTP API."""

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile

from mockri.notifications.models import OutboxEmail
from mockri.privacy.exports import data_export_request
from mockri.privacy.models import DataExport
from tests.blob_fake import blob_storage
from tests.fixtures import NOW, PDF_BYTES
from tests.privacy.test_erasure import erase_now
from tests.privacy.test_exports import download

pytestmark = pytest.mark.django_db


@pytest.fixture
def blob_store(settings, private_storage):
    with blob_storage(settings) as fake:
        yield fake


def test_erasing_an_account_deletes_its_files_from_blob(
    blob_store, data_everywhere, candidate, task_queue, django_capture_on_commit_callbacks
):
    candidate.avatar.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    OutboxEmail.objects.update(status="sent")  # the worker sent them long ago
    assert len(blob_store.pathnames()) == 3  # two resumes and the avatar

    erase_now(candidate, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    assert blob_store.pathnames() == []


def test_a_data_export_zip_is_built_in_blob_downloaded_once_and_deleted(
    blob_store,
    data_everywhere,
    candidate,
    client,
    reauthenticated,
    task_queue,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        data_export_request(user=candidate, requested_by=candidate, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        task_queue.run_all_except("outbox_send_task")
    zip_name = DataExport.objects.get().file
    assert zip_name.startswith("exports/")
    assert zip_name in blob_store.pathnames()
    email = OutboxEmail.objects.get(kind="data_export_ready", recipient=candidate)
    link = re.search(r"https?://\S+/account/data/export/\S+/", email.text_body).group(0)
    reauthenticated(candidate)

    response, body = download(client, link)

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body))
    resumes = [name for name in archive.namelist() if name.startswith("files/")]
    assert len(resumes) == 2
    assert all(archive.read(name) == PDF_BYTES for name in resumes)
    assert zip_name not in blob_store.pathnames()
