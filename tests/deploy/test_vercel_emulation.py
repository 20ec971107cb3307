"""Mockri on an emulated Vercel (tests/deploy/vercel_harness.py): Vercel's own runtime serving the
app from a read-only filesystem behind an edge that caps bodies at 4.5 MB, with no worker (the
cron endpoint drains the tasks), PostgreSQL and a Blob store faked at the network edge.

The end-to-end test runs in `make test`'s PostgreSQL pass, once (the direct pass, not again
through PgBouncer); it needs bubblewrap (Debian's `bubblewrap`) and skips with the reason when
anything is missing. The edge proxy's own tests need nothing."""

import contextlib
import json
import os
import re
import subprocess
import threading
import time
import uuid
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlsplit

import dj_database_url
import httpx
import psycopg
import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django_tasks_db.models import DBTaskResult
from psycopg import sql

from mockri.bookings.models import Booking, BookingFile
from mockri.catalogue.demo import DEMO_CANDIDATE, DEMO_PASSWORD
from mockri.notifications.models import OutboxEmail
from mockri.operations.demo import DEMO_EMAIL_KEY
from tests import blob_fake
from tests.deploy import vercel_harness as vercel
from tests.fixtures import PDF_BYTES

CRON_SECRET = "cron-" + "s3cr3t" * 4
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
STRONG_KEY = "emulated-" + "q7Wz!k2Lp9" * 6
SEED = f"""
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from mockri.catalogue.models import InterviewerProfile
call_command("seed_demo")
for profile in InterviewerProfile.objects.all():
    Authenticator.objects.create(
        user=profile.user, type=Authenticator.Type.TOTP, data={{"secret": "{TOTP_SECRET}"}}
    )
"""


# --- The edge proxy, against a stand-in function -------------------------------------------


class _StandIn(BaseHTTPRequestHandler):
    """Echoes what it received; /slow takes longer than the test's maxDuration."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path == "/slow":
            time.sleep(3)
        echo = {"headers": dict(self.headers.items()), "size": len(body)}
        content = json.dumps(echo).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the edge gave up on /slow
            self.wfile.write(content)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def stand_in_edge():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    upstream.daemon_threads = True
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    with vercel.edge_proxy(upstream.server_address[1], max_duration=1) as proxy:
        yield proxy
    upstream.shutdown()
    upstream.server_close()


def test_the_edge_refuses_a_body_over_4_5_mb_before_the_function_sees_it(stand_in_edge):
    response = httpx.post(f"{stand_in_edge.url}/", content=b"x" * (vercel.BODY_LIMIT + 1))

    assert response.status_code == 413
    assert response.headers["x-vercel-error"] == "FUNCTION_PAYLOAD_TOO_LARGE"
    assert "FUNCTION_PAYLOAD_TOO_LARGE" in response.text


def test_the_edge_passes_a_body_at_the_limit_with_vercels_headers_in_place_of_the_clients(
    stand_in_edge,
):
    response = httpx.post(
        f"{stand_in_edge.url}/",
        content=b"x" * vercel.BODY_LIMIT,
        headers={"x-forwarded-for": "6.6.6.6", "x-vercel-id": "forged", "x-real-ip": "6.6.6.6"},
    )

    echo = response.json()
    headers = {name.lower(): value for name, value in echo["headers"].items()}
    assert (response.status_code, echo["size"]) == (200, vercel.BODY_LIMIT)
    assert headers["host"] == headers["x-forwarded-host"] == vercel.PUBLIC_HOST
    assert (headers["x-forwarded-proto"], headers["x-forwarded-port"]) == ("https", "443")
    assert headers["x-forwarded-for"] == headers["x-real-ip"] == "127.0.0.1"
    assert headers["x-vercel-id"].startswith("sin1::")
    assert headers["x-vercel-id"] == response.headers["x-vercel-id"]
    assert "x-vercel-internal-deadline" in headers


def test_the_edge_ends_an_invocation_at_max_duration(stand_in_edge):
    started = time.monotonic()
    response = httpx.post(f"{stand_in_edge.url}/slow", content=b"", timeout=10)

    assert response.status_code == 504
    assert response.headers["x-vercel-error"] == "FUNCTION_INVOCATION_TIMEOUT"
    assert time.monotonic() - started < 2.5


# --- The booking flow on the emulated Vercel -------------------------------------------------


class _Forms(HTMLParser):
    """Each <form>'s action, method and fields with their values, and every link."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") != "file":
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


class Visitor:
    """One browser on the public https site, through the edge. Cookies are kept here: they are
    Secure, and the edge is reached over plain http on loopback."""

    def __init__(self, edge_url: str):
        self.edge_url = edge_url
        self.cookies: dict[str, str] = {}
        self.page = ""
        self.url = "/"

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "origin": f"https://{vercel.PUBLIC_HOST}",
            "referer": f"https://{vercel.PUBLIC_HOST}{self.url}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(
            method, self.edge_url + path, headers=headers, timeout=30, **kwargs
        )
        for line in response.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";")[0]
            if value in ("", '""') or "max-age=0" in line.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path: str) -> httpx.Response:
        response = self.request("GET", path)
        while response.status_code in (301, 302, 303):
            path = urlsplit(urljoin(path, response.headers["location"]))
            path = path.path + (f"?{path.query}" if path.query else "")
            response = self.request("GET", path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        self.page, self.url = response.text, path
        return response

    def submit(self, action_contains: str, fields: dict, files: dict | None = None) -> str:
        """Fill and post the page's form whose action contains `action_contains`; follow the
        redirect (a page answered directly becomes the page) and return where it landed."""
        parser = _Forms()
        parser.feed(self.page)
        form = next(f for f in parser.forms if action_contains in (f["action"] or self.url))
        action = urljoin(self.url, form["action"]) if form["action"] else self.url
        response = self.request("POST", action, data={**form["fields"], **fields}, files=files)
        if response.status_code == 200:
            self.page, self.url = response.text, action
            return self.url
        assert response.status_code in (302, 303), (action, response.status_code, response.text)
        self.get(response.headers["location"])
        return self.url

    def links(self) -> list[str]:
        """The page's links, resolved against its address as a browser resolves them."""
        parser = _Forms()
        parser.feed(self.page)
        return [urljoin(self.url, link) for link in parser.links]

    def sign_in(self, email: str, *, totp_secret: str | None = None):
        self.get("/accounts/login/")
        self.submit("login", {"login": email, "password": DEMO_PASSWORD})
        if totp_secret:
            counter = next(yield_hotp_counters_from_time())
            code = format_hotp_value(hotp_value(totp_secret, counter))
            self.submit("2fa", {"code": code})


def cron(edge_url: str) -> dict:
    """Vercel Cron's request: GET, the bearer secret, its user agent."""
    response = httpx.get(
        f"{edge_url}/internal/cron/tasks/",
        headers={"authorization": f"Bearer {CRON_SECRET}", "user-agent": "vercel-cron/1.0"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def emulation_database():
    """A database of the emulation's own, next to the suite's PostgreSQL test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the Vercel emulation needs PostgreSQL (make test's PostgreSQL pass)")
    if os.environ.get("DATABASE_POOLED", "").lower() == "true":
        pytest.skip("the Vercel emulation runs once, in the direct PostgreSQL pass")
    if reason := vercel.missing_prerequisite():
        pytest.skip(reason)
    parsed = dj_database_url.parse(url)
    name = f"{parsed['NAME']}_vercel_emulation"
    server = {"host": parsed["HOST"], "port": parsed["PORT"] or 5432, "user": parsed["USER"]}
    if parsed["PASSWORD"]:
        server["password"] = parsed["PASSWORD"]

    def recreate(drop_only=False):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            identifier = sql.Identifier(name)
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier)
            )
            if not drop_only:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))

    recreate()
    yield url.replace(f"/{parsed['NAME']}", f"/{name}", 1).split("?")[0], server | {"dbname": name}
    recreate(drop_only=True)


def test_the_booking_flow_runs_end_to_end_on_an_emulated_vercel(emulation_database):
    database_url, connect = emulation_database
    store = blob_fake.FakeBlobStore()
    with vercel.workdir() as workdir, blob_fake.served(store) as blob_address:
        project_env = {  # the project's environment variables on Vercel
            "PATH": os.environ["PATH"],
            "HOME": "/tmp",  # noqa: S108 — the function's only writable place, as on Lambda
            "LANG": "C.UTF-8",
            "DEBUG": "False",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": vercel.PUBLIC_HOST,
            "SITE_URL": f"https://{vercel.PUBLIC_HOST}",
            "DATABASE_URL": database_url,
            "DATABASE_POOLED": "True",  # as behind Neon's pooler: no kept connections
            "DATABASE_URL_UNPOOLED": database_url,
            "CRON_SECRET": CRON_SECRET,
            "EMAIL_PROVIDER": "console",
            "PAYMENT_TEST_GATEWAY_ALLOWED": "True",
            # No provider keys here: Jitsi rooms, allowed explicitly (no meeting is joined).
            "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY": "True",
            "FILE_STORAGE": "vercel_blob",
            "BLOB_READ_WRITE_TOKEN": blob_fake.TOKEN,
            "VERCEL_BLOB_API_URL": f"{blob_address}/api/blob",
            "BLOB_EMULATOR_DELIVERY_URL": blob_address,
            "VAR_DIR": str(workdir / "build"),
        }
        # The deploy: Vercel's build collects static files while CI migrates over the direct
        # URL; then demo data, whose interviewers have a second factor as they must.
        vercel.deploy(
            ({}, "collectstatic", "--noinput", "-v0"),
            ({"DATABASE_DIRECT": "True"}, "migrate", "--noinput", "-v0"),
            env=project_env,
        )
        vercel.deploy(({}, "shell", "-c", SEED), env=project_env)
        function_env = {
            **project_env,
            "VERCEL": "1",
            "VERCEL_ENV": "production",
            "VERCEL_REGION": vercel.REGION,
            "VERCEL_URL": vercel.PUBLIC_HOST,
        }
        with (
            vercel.function_running(function_env, workdir) as function,
            vercel.edge_proxy(function.port) as edge,
            psycopg.connect(autocommit=True, **connect) as db,
        ):
            run_the_booking_flow(edge.url, db, store)

            # Nothing it did needed a write outside /tmp, where it could not have written.
            assert "Read-only file system" not in function.output
            assert "Traceback" not in function.output, function.output
            probe = vercel.sandboxed(
                ["sh", "-c", f"touch {vercel.ROOT}/x 2>&1; touch /tmp/x && echo tmp-ok"]
            )
            result = subprocess.run(probe, capture_output=True, text=True, timeout=20, check=False)
            assert "Read-only file system" in result.stdout
            assert result.stdout.strip().endswith("tmp-ok")
            assert function.messages[0]["type"] == "server-started"
            assert "handler-started" in {m["type"] for m in function.messages}


def run_the_booking_flow(edge_url: str, db, store: blob_fake.FakeBlobStore):
    def rows(query: str, *params):
        return db.execute(query, params).fetchall()

    outbox = OutboxEmail._meta.db_table
    bookings = Booking._meta.db_table
    tasks = DBTaskResult._meta.db_table

    candidate = Visitor(edge_url)
    candidate.sign_in(DEMO_CANDIDATE["email"])

    # Next week's first slot: more than 24 hours ahead, so the candidate may cancel.
    candidate.get("/interviews/system-design/book/?page=1")
    slot = next(link for link in candidate.links() if "start=" in link)
    candidate.get(slot)
    resume = b"%PDF-1.7\n" + uuid.uuid4().hex.encode() + PDF_BYTES
    landed = candidate.submit(
        "details",
        {"job_description_text": "Senior backend engineer, payments platform."},
        files={"resume": ("resume.pdf", resume, "application/pdf")},
    )
    reference = re.fullmatch(r"/bookings/(MK-\w+)/pay/", landed).group(1)
    stored = rows(f"SELECT file FROM {BookingFile._meta.db_table} ORDER BY file")  # noqa: S608
    assert store.pathnames() == [name for (name,) in stored]  # in the Blob store, nowhere else

    checkout = next(link for link in candidate.links() if "test-checkout" in link)
    candidate.get(checkout)
    candidate.submit("test-checkout", {"outcome": "pay"})
    landed = candidate.submit("checkout/complete", {})  # the page's autosubmit.js would
    assert landed == f"/bookings/{reference}/"
    assert "Payment received" in candidate.page

    # No worker: nothing is sent until Vercel Cron calls (the demo's one failed email aside,
    # there for the console's needs-attention queue).
    assert rows(
        f"SELECT DISTINCT status FROM {outbox} WHERE dedupe_key != '{DEMO_EMAIL_KEY}'"  # noqa: S608
    ) in ([], [("queued",)])
    # Each call drains what its time budget allows; the demo data queues many tasks of its own.
    assert any(cron(edge_url)["remaining"] == 0 for _ in range(5))
    sent = rows(  # the booking's emails (the demo data's own, e.g. to applicants, aside)
        f"SELECT o.kind, o.to_address FROM {outbox} o JOIN {bookings} b ON b.id = o.booking_id "  # noqa: S608
        "WHERE o.status = 'sent' AND b.reference = %s ORDER BY o.to_address",
        reference,
    )
    interviewer_email = rows(
        f"SELECT u.email FROM {bookings} b JOIN catalogue_interviewerprofile p "  # noqa: S608
        "ON p.id = b.interviewer_id JOIN accounts_user u ON u.id = p.user_id "
        "WHERE b.reference = %s",
        reference,
    )[0][0]
    assert {to for _, to in sent} == {DEMO_CANDIDATE["email"], interviewer_email}

    # The interviewer (with a second factor, as interviewers must) downloads the resume.
    interviewer = Visitor(edge_url)
    interviewer.sign_in(interviewer_email, totp_secret=TOTP_SECRET)
    download = interviewer.request("GET", f"/bookings/{reference}/files/resume/")
    assert download.status_code == 200
    assert download.content == resume

    # The candidate cancels; the next cron call runs what that queued: emails and the refund.
    candidate.get(f"/bookings/{reference}/")
    candidate.submit("cancel", {"reason": "Got the offer already."})
    assert "The session is cancelled." in candidate.page
    waiting = f"SELECT task_path FROM {tasks} WHERE status = 'READY' AND task_path LIKE %s"  # noqa: S608
    assert sorted(path.rpartition(".")[2] for (path,) in rows(waiting, "%cancel%")) == [
        "booking_cancelled_emails_task",
        "meeting_cancel_task",
        "refund_for_cancellation_task",
    ]
    assert cron(edge_url)["remaining"] == 0
    assert rows(waiting, "%cancel%") == []
    unsent = f"SELECT count(*) FROM {outbox} WHERE status != 'sent' AND dedupe_key != %s"  # noqa: S608
    assert rows(unsent, DEMO_EMAIL_KEY)[0][0] == 0
    cancelled = rows(
        f"SELECT DISTINCT to_address FROM {outbox} WHERE kind LIKE %s ORDER BY 1",  # noqa: S608
        "%cancel%",
    )
    assert cancelled == sorted([(DEMO_CANDIDATE["email"],), (interviewer_email,)])
    candidate.get(f"/bookings/{reference}/")
    assert "Refund: Refunded" in candidate.page

    # A body over 4.5 MB never reaches the function; one just under does.
    too_big = candidate.request(
        "POST", f"/bookings/{reference}/files/", files={"resume": ("big.pdf", b"0" * 4_600_000)}
    )
    assert (too_big.status_code, too_big.headers["x-vercel-error"]) == (
        413,
        "FUNCTION_PAYLOAD_TOO_LARGE",
    )
    under = httpx.post(f"{edge_url}/accounts/login/", content=b"0" * 4_400_000, timeout=60)
    assert (under.status_code, "x-vercel-error" in under.headers) == (403, False)  # Django's CSRF
