"""What the HTTP benchmarks share: a throw-away PostgreSQL database, gunicorn and db_worker
processes on 127.0.0.1 with their CPU time read from /proc, and a keep-alive HTTP client that
posts the booking form as a signed-in candidate. Nothing here imports Django: the scripts set
the environment its settings read before they load it."""

import datetime
import http.client
import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTTP_TIMEOUT = 60


def log(message: str) -> None:
    print(message, flush=True)


# --- The throw-away database -------------------------------------------------------------------


class ThrowawayPostgres:
    """A database created for the run and dropped after it, on the local PostgreSQL server."""

    LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self.name = unquote(parts.path.lstrip("/"))
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"--database-url must be a postgres:// URL, not {url!r}.")
        if parts.hostname not in self.LOCAL_HOSTS:
            raise SystemExit("--database-url must name a local server: its database is dropped.")
        if "bench" not in self.name:
            raise SystemExit(
                f"Refusing to use database {self.name!r}: it is dropped at the end, so its name "
                "must contain 'bench'."
            )
        self.admin = {
            "host": parts.hostname,
            "port": parts.port or 5432,
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password) if parts.password else None,
            "dbname": "postgres",
        }

    def _execute(self, statement) -> None:
        with psycopg.connect(**self.admin, autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)

    def create(self, *, template: "ThrowawayPostgres | None" = None) -> None:
        """Create the database, empty or as a copy of `template` (which nobody may be connected
        to meanwhile: PostgreSQL copies files)."""
        self.drop()
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template.name))
        self._execute(statement)

    def drop(self) -> None:
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )

    def sibling(self, suffix: str) -> "ThrowawayPostgres":
        """Another database on the same server, named after this one."""
        parts = urlsplit(self.url)
        return ThrowawayPostgres(parts._replace(path=f"/{self.name}_{suffix}").geturl())


# --- Processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def process_tree_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and its children so far (Linux /proc), or None."""
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
            found = True
    return total / os.sysconf("SC_CLK_TCK") if found else None


class Process:
    """A child process logging to a file, always stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, *, log_path: Path, env: dict[str, str]) -> None:
        self.log_path = log_path
        self.env = env
        self.process: subprocess.Popen | None = None

    def launch(self, command: list[str]) -> None:
        with open(self.log_path, "wb") as log_file:
            self.process = subprocess.Popen(  # noqa: S603 -- our own fixed command
                command, cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT
            )

    def stop(self, *, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def cpu_seconds(self) -> float | None:
        return None if self.process is None else process_tree_cpu_seconds(self.process.pid)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def tracebacks(self) -> list[str]:
        """Each traceback in the log, with the log line before it (Django's message names the
        request)."""
        found, current = [], None
        previous = ""
        for line in self.log_text().splitlines():
            if line.startswith("Traceback"):
                current = [previous, line]
                found.append(current)
            elif current is not None:
                if line and not line[0].isdigit() and not line.startswith("["):
                    current.append(line)
                else:
                    current = None
            previous = line
        return ["\n".join(block) for block in found]


class Gunicorn(Process):
    def __init__(
        self,
        *,
        var_dir: Path,
        env: dict[str, str],
        workers: int = 2,
        threads: int = 4,
        name: str = "gunicorn",
    ) -> None:
        super().__init__(log_path=var_dir / f"{name}.log", env=env)
        self.port = free_port()
        self.workers = workers
        self.threads = threads

    def start(self) -> None:
        self.spawn()
        self.wait_until_healthy()

    def spawn(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
        self.launch(
            [
                str(gunicorn),
                "mockri.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--keep-alive",
                "5",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ]
        )

    def wait_until_healthy(self, *, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"gunicorn did not answer /healthz within {seconds:g} s:\n{self.log_tail()}"
        )


class DbWorker(Process):
    """`manage.py db_worker`, as a plain server runs it (a systemd unit or Procfile line)."""

    def __init__(self, *, var_dir: Path, env: dict[str, str], name: str) -> None:
        super().__init__(log_path=var_dir / f"{name}.log", env=env)
        self.worker_id = name

    def start(self) -> None:
        self.launch(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--worker-id",
                self.worker_id,
                "--no-reload",
            ]
        )


# --- The client --------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; a kept-alive connection the server closed is reopened once."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None, headers: dict):
        """(status, Location header, seconds); `exchange` for the body too."""
        status, location, _, elapsed = self.exchange(method, path, body, headers)
        return status, location, elapsed

    def exchange(self, method: str, path: str, body: bytes | None, headers: dict):
        """(status, Location header, body, seconds)."""
        for attempt in range(2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=HTTP_TIMEOUT)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if fresh or attempt:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.close()
            return response.status, response.getheader("Location", ""), content, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Cookies:
    session_name: str
    csrf_name: str
    csrf_token: str = field(
        default_factory=lambda: "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        )
    )

    def header(self, session_key: str) -> str:
        return f"{self.session_name}={session_key}; {self.csrf_name}={self.csrf_token}"

    def form_post(self, session_key: str, fields: dict) -> tuple[bytes, dict]:
        """A urlencoded form body carrying the CSRF token, and its headers."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **fields}).encode()
        headers = {
            "Cookie": self.header(session_key),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return body, headers


def booking_post(
    *,
    cookies: Cookies,
    session_key: str,
    type_slug: str,
    interviewer: str,
    start: datetime.datetime,
) -> tuple[str, str, bytes, dict]:
    """The booking form's POST (details step, with a small PDF resume) for `start`."""
    fields = {
        "csrfmiddlewaretoken": cookies.csrf_token,
        "starts_at": start.isoformat(),
        "idempotency_key": str(uuid.uuid4()),
        "interviewer": interviewer,
        "job_description_text": "Backend engineer, payments. Python, PostgreSQL, system design.",
        "target_company": "Acme",
    }
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="resume"; '
        f'filename="resume.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + TINY_PDF
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    headers = {
        "Cookie": cookies.header(session_key),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    path = f"/interviews/{type_slug}/book/details/?{urlencode({'interviewer': interviewer})}"
    return "POST", path, b"".join(parts), headers
