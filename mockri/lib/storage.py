"""Private files on Vercel Blob, through Django's storage API (FILE_STORAGE=vercel_blob).

Every blob is private: reading one needs the store's read-write token, so no address of a blob
is ever usable by a browser. Users get files only through Mockri's access-checked views, which
open them here and stream them. Names are stored as given (no random suffix) and never
overwritten: Django's `get_available_name()` picks a free name first, and the store itself
refuses to replace an existing blob if two uploads race for one.

Only the `vercel.blob` SDK talks to Vercel. Each operation runs in its own SDK session scoped
to this store's token, inside whatever session the caller has entered (tests enter one whose
HTTP client is a local fake of the Blob API).

`delivery_url` exists for the Vercel emulation only (tests/deploy/): the SDK takes its API
address from VERCEL_BLOB_API_URL but always reads private blobs from
https://<store>.private.blob.vercel-storage.com, so the emulation's Blob fake, another process,
is reached by sending those reads to its address instead (the Host header is kept). Unset in
production.
"""

import mimetypes
import tempfile

import httpx2
from django.core.files import File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from vercel.api import session
from vercel.blob import BlobCredentials, BlobError, BlobNotFoundError, CredentialKind
from vercel.blob.sync import (
    SyncBlobServiceOptions,
    delete_blob,
    head_blob,
    put_blob,
    stream_blob,
)

TOKEN_PREFIX = "vercel_blob_rw_"  # noqa: S105 (the format's prefix, not a secret)
# Downloads above this size spool to /tmp (writable on Vercel) instead of memory.
SPOOL_MAX_MEMORY = 1024 * 1024
DELIVERY_DOMAIN = ".blob.vercel-storage.com"


def store_id_of(token: str) -> str:
    """The store a read-write token belongs to: vercel_blob_rw_<store id>_<secret>."""
    store_id, _, secret = token.removeprefix(TOKEN_PREFIX).partition("_")
    if not token.startswith(TOKEN_PREFIX) or not store_id.isalnum() or not secret:
        raise ValueError("A Blob read-write token looks like vercel_blob_rw_<store>_<secret>.")
    return store_id


class _DeliveryRerouting(httpx2.BaseTransport):
    """Sends requests for Blob's delivery host to `base_url`, keeping the Host header."""

    def __init__(self, base_url: str):
        self.base_url = httpx2.URL(base_url)
        self.transport = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.host.endswith(DELIVERY_DOMAIN):
            request.url = request.url.copy_with(
                scheme=self.base_url.scheme, host=self.base_url.host, port=self.base_url.port
            )
        return self.transport.handle_request(request)

    def close(self) -> None:
        self.transport.close()


@deconstructible
class VercelBlobStorage(Storage):
    def __init__(self, *, token: str, delivery_url: str = ""):
        self.token = token
        self.store_id = store_id_of(token)
        self.delivery_url = delivery_url

    def _credentials(self) -> BlobCredentials:
        return BlobCredentials(self.token, self.store_id, CredentialKind.READ_WRITE)

    def _session(self):
        options = SyncBlobServiceOptions(credentials_factory=self._credentials)
        if self.delivery_url:
            transport = _DeliveryRerouting(self.delivery_url)
            return session(
                service_options=[options],
                httpx_client_factory=lambda: httpx2.Client(transport=transport),
            )
        return session(service_options=[options])

    def _save(self, name: str, content) -> str:
        content.seek(0)
        # Not the browser's claim (content.content_type): our views serve with the checked type.
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        try:
            with self._session():
                result = put_blob(
                    name,
                    content,
                    access="private",
                    content_length=content.size,
                    content_type=content_type,
                    add_random_suffix=False,
                    allow_overwrite=False,
                )
        except BlobError as error:
            if "already exists" in str(error):
                raise FileExistsError(f"{name} is already stored") from error
            raise
        return result.pathname

    def _open(self, name: str, mode: str = "rb") -> File:
        """The whole blob, read before returning: a caller may delete it straight after opening
        (a data export is deleted as its one download starts)."""
        if mode not in ("r", "rb"):
            raise ValueError("Blob files are opened for reading only; save a new one instead.")
        # Returned open to the caller, who closes it (FileResponse does when it is sent).
        spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_MEMORY)  # noqa: SIM115
        try:
            with self._session(), stream_blob(name, access="private") as download:
                for chunk in download:
                    spooled.write(chunk)
        except BlobNotFoundError:
            spooled.close()
            raise FileNotFoundError(name) from None
        spooled.seek(0)
        return File(spooled, name=name)

    def delete(self, name: str) -> None:
        if not name:
            raise ValueError("The name must be given to delete().")
        with self._session():
            delete_blob(name)  # a name that is already gone is not an error

    def exists(self, name: str) -> bool:
        try:
            with self._session():
                head_blob(name)
        except BlobNotFoundError:
            return False
        return True

    def size(self, name: str) -> int:
        try:
            with self._session():
                return head_blob(name).size
        except BlobNotFoundError:
            raise FileNotFoundError(name) from None

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Blob files are private: link to the view that checks access and streams the file."
        )
