"""A local Vercel Blob store at the network edge: it answers the HTTP requests the `vercel.blob`
SDK sends (API version 12) to https://vercel.com/api/blob and to the private delivery host
https://<store>.private.blob.vercel-storage.com, with the real payloads and error shapes.

It is plugged in through the SDK's own hook, an outer `vercel.api.session(...)` whose HTTP
client has this fake as its transport; the storage's per-operation sessions inherit it. For an
app in another process (the Vercel emulation), `served()` puts the same store on a loopback
HTTP address: the API at <address>/api/blob (VERCEL_BLOB_API_URL) and the delivery host at
<address> itself with its Host header kept (the storage's delivery_url).
"""

import contextlib
import datetime
import email.utils
import hashlib
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import httpx2
from vercel.api import session

STORE_ID = "Mockri0Store1"
TOKEN = f"vercel_blob_rw_{STORE_ID}_s3cr3tPart"
API = "https://vercel.com/api/blob"
DELIVERY_HOST = f"{STORE_ID.lower()}.private.blob.vercel-storage.com"
UPLOADED_AT = datetime.datetime(2026, 12, 1, 3, 30, tzinfo=datetime.UTC)


@dataclass
class Blob:
    body: bytes
    content_type: str
    etag: str


class FakeBlobStore:
    def __init__(self):
        self.blobs: dict[str, Blob] = {}
        self.requests: list[httpx2.Request] = []

    # --- what the store holds, for assertions ---
    def pathnames(self) -> list[str]:
        return sorted(self.blobs)

    def read(self, pathname: str) -> bytes:
        return self.blobs[pathname].body

    # --- the HTTP API ---
    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return error(403, "forbidden", "Access denied, please provide a valid token")
        url = request.url
        if url.host == DELIVERY_HOST and request.method == "GET":
            return self.download(unquote(url.path.lstrip("/")))
        if f"{url.scheme}://{url.host}{url.path}".rstrip("/") == API:
            if request.headers.get("x-api-version") != "12":
                return error(400, "bad_request", "Unsupported API version")
            params = url.params
            if request.method == "PUT" and "pathname" in params:
                return self.put(params["pathname"], request)
            if request.method == "GET" and "url" in params:
                return self.head(params["url"])
            if request.method == "GET":
                return self.listing(params.get("prefix", ""))
        if str(url) == f"{API}/delete" and request.method == "POST":
            return self.delete(json.loads(request.read())["urls"])
        return error(404, "not_found", f"No such endpoint: {request.method} {url}")

    def put(self, pathname: str, request: httpx2.Request) -> httpx2.Response:
        headers = request.headers
        if headers.get("x-vercel-blob-access") != "private":
            return error(400, "bad_request", "Cannot use public access on a private store")
        if headers.get("x-add-random-suffix") == "1":
            return error(400, "bad_request", "This fake store does not add random suffixes")
        if pathname in self.blobs and headers.get("x-allow-overwrite") != "1":
            return error(
                400,
                "bad_request",
                "This blob already exists, use `allowOverwrite: true` if you want to overwrite "
                "it. Or `addRandomSuffix: true` to generate a unique filename.",
            )
        body = request.read()
        blob = Blob(
            body=body,
            content_type=headers.get("x-content-type", "application/octet-stream"),
            etag=f'"{hashlib.sha256(body).hexdigest()[:16]}"',
        )
        self.blobs[pathname] = blob
        return httpx2.Response(
            200,
            json={
                "url": self.url_of(pathname),
                "downloadUrl": self.url_of(pathname) + "?download=1",
                "pathname": pathname,
                "contentType": blob.content_type,
                "contentDisposition": f'attachment; filename="{pathname.rsplit("/", 1)[-1]}"',
                "etag": blob.etag,
            },
        )

    def head(self, url_or_pathname: str) -> httpx2.Response:
        pathname = self.pathname_of(url_or_pathname)
        if pathname not in self.blobs:
            return error(404, "not_found", "The requested blob does not exist")
        return httpx2.Response(200, json=self.describe(pathname))

    def listing(self, prefix: str) -> httpx2.Response:
        blobs = [self.describe(p) for p in sorted(self.blobs) if p.startswith(prefix)]
        return httpx2.Response(200, json={"blobs": blobs, "hasMore": False})

    def delete(self, urls: list[str]) -> httpx2.Response:
        for url in urls:
            self.blobs.pop(self.pathname_of(url), None)  # deleting a missing blob is no error
        return httpx2.Response(200, json={})

    def download(self, pathname: str) -> httpx2.Response:
        blob = self.blobs.get(pathname)
        if blob is None:
            return error(404, "not_found", "The requested blob does not exist")
        return httpx2.Response(
            200,
            content=blob.body,
            headers={
                "content-type": blob.content_type,
                "content-length": str(len(blob.body)),
                "etag": blob.etag,
                "last-modified": email.utils.format_datetime(UPLOADED_AT, usegmt=True),
                "cache-control": "private, max-age=0",
            },
        )

    def describe(self, pathname: str) -> dict:
        blob = self.blobs[pathname]
        return {
            "url": self.url_of(pathname),
            "downloadUrl": self.url_of(pathname) + "?download=1",
            "pathname": pathname,
            "size": len(blob.body),
            "uploadedAt": UPLOADED_AT.isoformat().replace("+00:00", "Z"),
            "contentType": blob.content_type,
            "contentDisposition": "attachment",
            "cacheControl": "private, max-age=0",
            "etag": blob.etag,
        }

    @staticmethod
    def url_of(pathname: str) -> str:
        return f"https://{DELIVERY_HOST}/{pathname}"

    @staticmethod
    def pathname_of(url_or_pathname: str) -> str:
        if url_or_pathname.startswith("https://"):
            return unquote(urlsplit(url_or_pathname).path.lstrip("/"))
        return url_or_pathname


def error(status: int, code: str, message: str) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"code": code, "message": message}})


@contextlib.contextmanager
def blob_storage(settings):
    """Make Django's default storage a private Blob store served by a fresh fake."""
    fake = FakeBlobStore()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mockri.lib.storage.VercelBlobStorage", "OPTIONS": {"token": TOKEN}},
    }

    def client() -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(fake.handle))

    with session(httpx_client_factory=client):
        yield fake


@contextlib.contextmanager
def served(fake: FakeBlobStore):
    """Serve `fake` on 127.0.0.1; yields its base address, e.g. http://127.0.0.1:41234."""
    lock = threading.Lock()
    api_path = urlsplit(API).path

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self):
            path, _, query = self.path.partition("?")
            host = self.headers.get("host", "")
            origin = "https://vercel.com" if path.startswith(api_path) else f"https://{host}"
            length = int(self.headers.get("content-length") or 0)
            request = httpx2.Request(
                self.command,
                f"{origin}{path}" + (f"?{query}" if query else ""),
                headers=[(k, v) for k, v in self.headers.items() if k.lower() != "host"],
                content=self.rfile.read(length),
            )
            with lock:
                response = fake.handle(request)
            body = response.read()
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

        def log_message(self, format, *args):  # quiet: the test reports failures itself
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
