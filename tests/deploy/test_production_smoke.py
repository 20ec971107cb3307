"""The plain-server production setup, end to end: gunicorn and `manage.py db_worker` in production
mode (DEBUG=False) on a fresh PostgreSQL database, driven over real HTTP as the HTTPS proxy in
deploy/nginx.conf forwards it. A candidate signs in, books a paid session with a resume, pays
through the test gateway's checkout, is confirmed once the worker has run, and cancels; the
refund and the emails are recorded.

Runs in `make test`'s PostgreSQL pass (skipped on SQLite and behind the pooler, where the same
suite runs again). The smoke database is its own, created and dropped here beside pytest-django's.
"""

import datetime
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import psycopg
import pytest
import requests
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.fixtures import PDF_BYTES
from tests.test_settings import ROOT, STRONG_KEY

HOST = "mockri.test"
ORIGIN = f"https://{HOST}"
PASSWORD = "smoke-test-password-2026"  # a throw-away account in a throw-away database
TIMEOUT = 30  # seconds: any single request or wait; the whole test takes 30-50 s

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the production smoke test needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.skipif(
        os.environ.get("DATABASE_POOLED") == "True",
        reason="the plain-server smoke test runs once, in the direct PostgreSQL pass",
    ),
]


def production_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """What /etc/mockri/mockri.env sets on a plain server (README), with the test gateway
    explicitly allowed and console email, since no real money or mail may leave a test."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SECRET_KEY", "DEBUG"))
    }
    return {
        **inherited,
        "DEBUG": "False",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": ORIGIN,
        "CSRF_TRUSTED_ORIGINS": ORIGIN,
        "DATABASE_URL": database_url,
        "DATABASE_URL_UNPOOLED": database_url,
        "VAR_DIR": str(var_dir),
        "PAYMENT_TEST_GATEWAY_ALLOWED": "True",
        "EMAIL_PROVIDER": "console",
        "MEETING_PROVIDER": "jitsi",
        # Production refuses the public Jitsi server unless told it is outside the policy.
        "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY": "True",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def smoke_database():
    """A database of its own on the same server, dropped afterwards (even with sessions open)."""
    params = conninfo_to_dict(os.environ["DATABASE_URL"])
    name = f"{params.get('dbname') or 'mockri'}_smoke"
    admin = make_conninfo(**{**params, "dbname": "postgres"})

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()  # left over by an interrupted run
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(os.environ["DATABASE_URL"])
    yield parts._replace(path=f"/{name}", query="").geturl()
    drop()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_service(request, tmp_path):
    """Start a long-running process in its own process group; always stopped at the end."""

    def start(name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

        def stop():
            if process.poll() is None:
                # SIGTERM, as systemd's KillSignal: gunicorn and db_worker stop gracefully.
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            log.close()
            # Shown by pytest only when the test failed.
            output = (tmp_path / f"{name}.log").read_text(errors="replace")
            print(f"--- {name} ---\n{output[-5000:]}")

        request.addfinalizer(stop)
        return process

    return start


class Visitor:
    """A browser behind the HTTPS proxy: every request carries what nginx adds (Host,
    X-Forwarded-Proto https, X-Forwarded-For), and the browser's Origin on posts. Cookies are
    kept by hand, since the session and CSRF cookies are Secure and this hop is plain HTTP."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        if method == "POST":
            headers |= {"Origin": ORIGIN, "Referer": f"{ORIGIN}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            f"{self.base_url}{path}",
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def go(self, method: str, path: str, **kwargs) -> tuple[str, requests.Response]:
        """Make the request and follow redirects as a browser would; returns the final path."""
        response = self.request(method, path, **kwargs)
        for _ in range(10):
            if not response.is_redirect:
                return path, response
            location = urlsplit(response.headers["Location"])
            assert location.netloc in ("", HOST), response.headers["Location"]
            path = location.path + (f"?{location.query}" if location.query else "")
            response = self.request("GET", path)
        raise AssertionError(f"too many redirects from {path}")

    def post_form(self, path: str, page: str, fields: dict, **kwargs):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.go("POST", path, data={"csrfmiddlewaretoken": token, **fields}, **kwargs)


def wait_for(what: str, check, *, processes: list[subprocess.Popen], timeout: float = TIMEOUT):
    """Poll `check` until it returns something truthy, failing after `timeout` seconds or as soon
    as a service has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{process.args[:4]} exited with {process.returncode}"
        if result := check():
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


SETUP = f"""
import datetime
from allauth.account.models import EmailAddress
from mockri.accounts.models import ConsentSource, User
from mockri.accounts.services import consent_record
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.scheduling.models import WeeklyAvailability

def person(email, full_name, **flags):
    user = User.objects.create_user(email, {PASSWORD!r}, full_name=full_name, **flags)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    consent_record(user=user, source=ConsentSource.SIGNUP_FORM)
    return user

person("kavya@example.com", "Kavya Sharma")
profile = InterviewerProfile.objects.create(
    user=person("arjun@example.com", "Arjun Mehta", is_interviewer=True),
    slug="arjun", display_name="Arjun Mehta", headline="Staff engineer",
    past_roles=[], years_experience=9, min_notice_minutes=60,
)
WeeklyAvailability.objects.bulk_create(
    WeeklyAvailability(interviewer=profile, weekday=day, start_time=datetime.time(0),
                       end_time=datetime.time(23, 30))
    for day in range(7)
)
design = InterviewType.objects.create(
    name="System Design", slug="system-design", summary="Design a system.",
    description="Sixty minutes.", duration_minutes=60, price_paise=199_900,
)
design.interviewers.add(profile)
"""


def recorded(database_url: str) -> dict:
    """What the database holds about the one booking: read directly, as the services run in
    other processes (a `manage.py shell` per poll would cost two seconds each)."""
    with psycopg.connect(database_url) as connection:

        def rows(query: str) -> list[list]:
            return [list(row) for row in connection.execute(query).fetchall()]

        return {
            "booking": rows("SELECT reference, status FROM bookings_booking"),
            "payment": rows(
                "SELECT status, amount_paise, amount_refunded_paise FROM payments_payment"
            ),
            "refunds": rows("SELECT status, amount_paise FROM payments_refund"),
            "files": rows("SELECT kind FROM bookings_bookingfile"),
            "emails": rows(
                "SELECT kind, to_address, status FROM notifications_outboxemail ORDER BY 1, 2"
            ),
        }


def test_gunicorn_and_the_worker_in_production_mode_book_pay_and_cancel_over_http(
    smoke_database, start_service, tmp_path
):
    env = production_env(smoke_database, tmp_path / "var")
    # The deploy steps of deploy/README.md: static files collected (beside the migration, which
    # they do not need), then the migration over the direct address.
    collectstatic = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env
    )
    manage({**env, "DATABASE_DIRECT": "True"}, "migrate", "--noinput", "-v0")
    assert collectstatic.wait(timeout=120) == 0
    manage(env, "shell", "-v0", "-c", SETUP)

    port = free_port()
    gunicorn = start_service(
        "gunicorn",
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
    )
    worker = start_service(
        "worker",
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"],
        env,
    )
    services = [gunicorn, worker]
    visitor = Visitor(f"http://127.0.0.1:{port}")

    def healthy():
        try:
            return visitor.request("GET", "/healthz").status_code == 200
        except requests.ConnectionError:
            return False

    # Starting takes seconds on an idle machine, longer on a busy CI runner.
    wait_for("gunicorn to answer /healthz", healthy, processes=services, timeout=60)

    # Without the proxy's X-Forwarded-Proto a request is plain http, and is sent to https.
    plain = requests.get(
        f"{visitor.base_url}/", headers={"Host": HOST}, allow_redirects=False, timeout=TIMEOUT
    )
    assert (plain.status_code, plain.headers["Location"]) == (301, f"{ORIGIN}/")

    _, login_page = visitor.go("GET", "/accounts/login/")
    path, home = visitor.post_form(
        "/accounts/login/", login_page.text, {"login": "kavya@example.com", "password": PASSWORD}
    )
    assert (path, home.status_code) == ("/", 200)
    assert "__Host-sessionid" in visitor.cookies

    picker_path = "/interviews/system-design/book/?interviewer=arjun"
    _, picker = visitor.go("GET", picker_path)
    slots = {  # the picker's links, resolved against its address as a browser resolves them
        parse_qs(urlsplit(href).query)["start"][0]: urljoin(picker_path, href)
        for href in map(html.unescape, re.findall(r'class="slot" href="([^"]+)"', picker.text))
    }
    # The week's last time, days ahead: cancelling it refunds in full.
    details_url = slots[max(slots, key=datetime.datetime.fromisoformat)]
    _, details = visitor.go("GET", details_url)
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', details.text)
    path, pay_page = visitor.post_form(
        details_url,
        details.text,
        {**dict(hidden), "job_description_text": "Senior backend engineer, payments team."},
        files={"resume": ("resume.pdf", PDF_BYTES, "application/pdf")},
    )
    reference = re.fullmatch(r"/bookings/(MK-\w+)/pay/", path).group(1)
    assert "Test mode" in pay_page.text

    checkout = re.search(r'href="(/payments/test-checkout/[^"]+/)"', pay_page.text).group(1)
    _, checkout_page = visitor.go("GET", checkout)
    _, done_page = visitor.post_form(checkout, checkout_page.text, {"outcome": "pay"})
    # What the page's autosubmit script does in a browser: post the signed result back, as
    # Razorpay's checkout would.
    signed = dict(re.findall(r'name="(razorpay_\w+)" value="([^"]+)"', done_page.text))
    path, _ = visitor.post_form("/payments/checkout/complete/", done_page.text, signed)
    assert path == f"/bookings/{reference}/"

    def announced():
        # The confirmation goes out once the worker has made the meeting link.
        now = recorded(smoke_database)
        candidate_told = ["booking_confirmed", "kavya@example.com", "sent"] in now["emails"]
        interviewer_told = ["session_assigned", "arjun@example.com", "sent"] in now["emails"]
        return now if candidate_told and interviewer_told else None

    confirmed = wait_for("the confirmation emails", announced, processes=services)
    assert (confirmed["booking"], confirmed["payment"], confirmed["files"]) == (
        [[reference, "confirmed"]],
        [["captured", 199_900, 0]],
        [["resume"]],
    )
    _, booking_page = visitor.go("GET", path)
    assert "You're booked" in booking_page.text
    resume = visitor.request("GET", f"/bookings/{reference}/files/resume/")
    assert (resume.status_code, resume.content) == (200, PDF_BYTES)

    visitor.post_form(f"/bookings/{reference}/cancel/", booking_page.text, {"reason": "Clash"})

    def settled():
        now = recorded(smoke_database)
        emails_sent = all(status == "sent" for *_, status in now["emails"])
        return now if emails_sent and now["refunds"] == [["processed", 199_900]] else None

    assert wait_for("the refund and the emails", settled, processes=services) == {
        "booking": [[reference, "cancelled"]],
        "payment": [["refunded", 199_900, 199_900]],
        "refunds": [["processed", 199_900]],
        "files": [["resume"]],
        "emails": [
            ["booking_cancelled", "arjun@example.com", "sent"],
            ["booking_cancelled", "kavya@example.com", "sent"],
            ["booking_confirmed", "kavya@example.com", "sent"],
            ["payment_receipt", "kavya@example.com", "sent"],
            ["session_assigned", "arjun@example.com", "sent"],
        ],
    }
    assert visitor.request("GET", "/healthz").json() == {
        "status": "ok",
        "database": {"reachable": True},
        "tasks": {"queued": 0, "oldest_queued_age_seconds": None},
    }
