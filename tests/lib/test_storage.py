"""Private files on Vercel Blob (mockri.lib.storage), against a local fake of Blob's HTTP API."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mockri.lib.storage import VercelBlobStorage
from tests.blob_fake import API, DELIVERY_HOST, TOKEN, FakeBlobStore, blob_storage, served
from tests.fixtures import PDF_BYTES


@pytest.fixture
def blob_store(settings):
    with blob_storage(settings) as fake:
        yield fake


def test_a_saved_file_is_a_private_blob_under_its_own_name(blob_store):
    name = default_storage.save("bookings/ab12/resume.pdf", ContentFile(PDF_BYTES))

    assert name == "bookings/ab12/resume.pdf"
    assert blob_store.read(name) == PDF_BYTES
    head, put = blob_store.requests  # Django first checks that the name is free
    assert (head.method, str(head.url)) == ("GET", f"{API}?url=bookings%2Fab12%2Fresume.pdf")
    assert (put.method, str(put.url)) == ("PUT", f"{API}?pathname=bookings%2Fab12%2Fresume.pdf")
    assert put.headers["authorization"] == f"Bearer {TOKEN}"
    assert put.headers["x-vercel-blob-access"] == "private"
    assert put.headers["x-add-random-suffix"] == "0"
    assert put.headers["x-allow-overwrite"] == "0"
    assert put.headers["x-content-type"] == "application/pdf"


def test_a_taken_name_gets_a_free_one_and_the_first_file_is_kept(blob_store):
    first = default_storage.save("exports/copy.zip", ContentFile(b"first"))
    second = default_storage.save("exports/copy.zip", ContentFile(b"second"))

    assert first == "exports/copy.zip"
    assert second.startswith("exports/copy_") and second.endswith(".zip")
    assert (blob_store.read(first), blob_store.read(second)) == (b"first", b"second")


def test_the_store_refuses_to_overwrite_when_two_uploads_race_for_a_name(blob_store):
    default_storage.save("exports/copy.zip", ContentFile(b"first"))

    with pytest.raises(FileExistsError):
        default_storage._save("exports/copy.zip", ContentFile(b"second"))
    assert blob_store.read("exports/copy.zip") == b"first"


def test_a_file_is_read_from_the_private_host_with_the_token(blob_store):
    default_storage.save("photos/p1.jpg", ContentFile(b"\xff\xd8\xff jpeg"))
    blob_store.requests.clear()

    with default_storage.open("photos/p1.jpg") as opened:
        assert opened.read() == b"\xff\xd8\xff jpeg"
    (get,) = blob_store.requests
    assert str(get.url) == f"https://{DELIVERY_HOST}/photos/p1.jpg"
    assert get.headers["authorization"] == f"Bearer {TOKEN}"


def test_an_opened_file_stays_readable_after_its_blob_is_deleted(blob_store):
    # A data export is deleted as its one download starts.
    default_storage.save("exports/copy.zip", ContentFile(b"zip bytes"))

    opened = default_storage.open("exports/copy.zip")
    default_storage.delete("exports/copy.zip")

    assert opened.read() == b"zip bytes"
    assert blob_store.pathnames() == []


def test_exists_size_and_delete(blob_store):
    default_storage.save("bookings/x/jd.pdf", ContentFile(PDF_BYTES))

    assert default_storage.exists("bookings/x/jd.pdf")
    assert default_storage.size("bookings/x/jd.pdf") == len(PDF_BYTES)
    default_storage.delete("bookings/x/jd.pdf")
    default_storage.delete("bookings/x/jd.pdf")  # already gone: no error
    assert not default_storage.exists("bookings/x/jd.pdf")
    (delete, *_) = [r for r in blob_store.requests if r.method == "POST"]
    assert str(delete.url) == f"{API}/delete"


def test_a_missing_file_is_file_not_found(blob_store):
    with pytest.raises(FileNotFoundError):
        default_storage.open("bookings/none.pdf")
    with pytest.raises(FileNotFoundError):
        default_storage.size("bookings/none.pdf")


def test_a_blob_never_has_a_public_address(blob_store):
    with pytest.raises(NotImplementedError, match="private"):
        default_storage.url("bookings/x/resume.pdf")


def test_files_are_opened_for_reading_only(blob_store):
    with pytest.raises(ValueError, match="reading only"):
        default_storage.open("bookings/x/resume.pdf", "wb")


def test_an_app_in_another_process_reaches_a_served_fake_through_its_two_addresses(monkeypatch):
    # The Vercel emulation's set-up: the API through VERCEL_BLOB_API_URL, reads of the private
    # delivery host through delivery_url, both over loopback HTTP.
    fake = FakeBlobStore()
    with served(fake) as address:
        monkeypatch.setenv("VERCEL_BLOB_API_URL", f"{address}/api/blob")
        storage = VercelBlobStorage(token=TOKEN, delivery_url=address)

        name = storage.save("resumes/cv.pdf", ContentFile(PDF_BYTES))
        with storage.open(name) as opened:
            read_back = opened.read()
        size = storage.size(name)
        storage.delete(name)

    assert (name, read_back, size) == ("resumes/cv.pdf", PDF_BYTES, len(PDF_BYTES))
    assert fake.pathnames() == []
    assert [(r.method, r.url.host) for r in fake.requests] == [
        ("GET", "vercel.com"),  # get_available_name: is the name free?
        ("PUT", "vercel.com"),
        ("GET", DELIVERY_HOST),
        ("GET", "vercel.com"),
        ("POST", "vercel.com"),
    ]
