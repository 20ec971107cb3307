"""Vercel, emulated on this machine, for tests/deploy/test_vercel_emulation.py.

What runs is what Vercel runs: Vercel's own function runtime (`vercel_runtime.vc_init`, the
version pinned in uv.lock and in vercel.json's VERCEL_RUNTIME_PYTHON) imports Mockri's WSGI
entrypoint, given the `__VC_HANDLER_*` variables that the builder's generated trampoline sets,
and announces its HTTP port over the IPC Unix socket named by VERCEL_IPC_PATH, which we listen
on here. What Vercel's platform does around the function is emulated:

- the filesystem is read-only except /tmp (bubblewrap: `bwrap --ro-bind / / --tmpfs /tmp`);
- an edge proxy in front refuses request bodies over 4.5 MB (413 FUNCTION_PAYLOAD_TOO_LARGE),
  stops an invocation at maxDuration (504 FUNCTION_INVOCATION_TIMEOUT) and sets the headers
  Vercel sets: host, x-forwarded-for (one address), x-forwarded-proto https, x-forwarded-host,
  x-forwarded-port, x-real-ip, x-vercel-id and the runtime's x-vercel-internal-deadline;
- there is no worker process: tasks run only when the cron endpoint is called, as Vercel Cron
  calls it (GET, `Authorization: Bearer $CRON_SECRET`, user-agent vercel-cron/1.0);
- the "deploy" runs beforehand, outside the sandbox, as Vercel's build and a CI deploy step do:
  collectstatic with the build's environment, then migrate over the direct database URL.

Not emulated: the CDN for /static/ (the function's WhiteNoise serves it here), the response
size limit, the bundle's layout under /var/task (the function runs from the checkout).
"""

import contextlib
import datetime
import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERCEL_JSON = json.loads((ROOT / "vercel.json").read_text())
ENTRYPOINT = "mockri/wsgi.py"  # from WSGI_APPLICATION, as the builder resolves it
MAX_DURATION = VERCEL_JSON["functions"][ENTRYPOINT]["maxDuration"]
BODY_LIMIT = 4_500_000  # Vercel's documented request body limit, 4.5 MB
PUBLIC_HOST = "mockri-emulated.vercel.app"
REGION = VERCEL_JSON["regions"][0]
BWRAP = shutil.which("bwrap")
STARTUP_SECONDS = 30
# Hop-by-hop headers, and those only Vercel's edge may set: a client's own are dropped.
DROPPED_REQUEST_HEADERS = ("connection", "keep-alive", "transfer-encoding", "proxy-connection")
EDGE_HEADER_PREFIXES = ("x-forwarded-", "x-vercel-", "x-real-ip", "forwarded")


def sandboxed(command: list[str], *, writable: list[Path] = (), readable: list[Path] = ()):
    """`command` with every path read-only except a fresh /tmp (Lambda's writable scratch).
    `readable` paths under /tmp are bound back read-only, `writable` ones read-write."""
    binds = [arg for path in readable for arg in ("--ro-bind", str(path), str(path))]
    binds += [arg for path in writable for arg in ("--bind", str(path), str(path))]
    return [
        BWRAP,
        "--ro-bind", "/", "/",
        "--tmpfs", "/tmp",  # noqa: S108 — a fresh, private /tmp: Lambda's scratch space
        "--proc", "/proc",
        "--dev", "/dev",
        *binds,
        "--die-with-parent",
        "--",
        *command,
    ]  # fmt: skip


def missing_prerequisite() -> str | None:
    """Why the emulation cannot run here, or None."""
    if BWRAP is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    probe = subprocess.run(
        sandboxed(["true"]), capture_output=True, text=True, timeout=20, check=False
    )
    if probe.returncode != 0:
        return f"bubblewrap cannot make a sandbox here: {probe.stderr.strip()}"
    if importlib.util.find_spec("vercel_runtime") is None:
        return "vercel-runtime is not installed (uv sync)"
    return None


@dataclass
class Function:
    """Vercel's runtime serving Mockri, in the sandbox; `port` is where it listens."""

    process: subprocess.Popen
    log_path: Path
    messages: list[dict] = field(default_factory=list)
    port: int = 0

    @property
    def output(self) -> str:
        """Everything the function printed so far (stdout and stderr, merged)."""
        return self.log_path.read_text(errors="replace")


def _listen_for_ipc(server: socket.socket, function: Function, started: threading.Event):
    """Read the runtime's NUL-terminated JSON messages (server-started, handler-started, log,
    end) from its one IPC connection."""
    connection, _ = server.accept()
    buffer = b""
    with connection:
        while chunk := connection.recv(65536):
            buffer += chunk
            *complete, buffer = buffer.split(b"\0")
            for raw in complete:
                message = json.loads(raw)
                function.messages.append(message)
                if message["type"] == "server-started":
                    function.port = message["payload"]["httpPort"]
                    started.set()


@contextlib.contextmanager
def function_running(env: dict[str, str], workdir: Path) -> Iterator[Function]:
    """Start the function as Vercel's trampoline does and wait for its server-started."""
    ipc_path = workdir / "ipc.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(ipc_path))
    server.listen(1)
    log_path = workdir / "function.log"
    log = log_path.open("w")
    runtime_env = {
        **env,
        "__VC_HANDLER_MODULE_NAME": ENTRYPOINT.removesuffix(".py").replace("/", "."),
        "__VC_HANDLER_ENTRYPOINT": ENTRYPOINT,
        "__VC_HANDLER_ENTRYPOINT_ABS": str(ROOT / ENTRYPOINT),
        "__VC_HANDLER_VARIABLE_NAME": "application",
        "VERCEL_IPC_PATH": str(ipc_path),
        # What the builder puts in the function's environment (it vendors into PYTHONPATH).
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        sandboxed([sys.executable, "-c", "import vercel_runtime.vc_init"], readable=[workdir]),
        cwd=ROOT,
        env=runtime_env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    function = Function(process=process, log_path=log_path)
    started = threading.Event()
    listener = threading.Thread(
        target=_listen_for_ipc, args=(server, function, started), daemon=True
    )
    listener.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not started.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The function did not start:\n{function.output}")
        yield function
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait(timeout=10)
        server.close()
        log.close()


class EdgeProxy(ThreadingHTTPServer):
    """Vercel's edge in front of one function: https to the app, 4.5 MB bodies, maxDuration."""

    daemon_threads = True

    def __init__(self, function_port: int, *, max_duration: float):
        self.function_port = function_port
        self.max_duration = max_duration
        super().__init__(("127.0.0.1", 0), _EdgeHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _EdgeHandler(BaseHTTPRequestHandler):
    server: EdgeProxy

    def handle_any(self):
        request_id = f"{REGION}::{secrets.token_hex(6)}-{int(time.time() * 1000)}"
        body = self.read_body()
        if body is None:
            return self.vercel_error(413, "FUNCTION_PAYLOAD_TOO_LARGE", request_id)
        headers = [
            (name, value)
            for name, value in self.headers.items()
            if name.lower() not in (*DROPPED_REQUEST_HEADERS, "host", "content-length")
            and not name.lower().startswith(EDGE_HEADER_PREFIXES)
        ]
        client_ip = self.client_address[0]
        deadline = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
            seconds=self.server.max_duration
        )
        headers += [
            ("host", PUBLIC_HOST),
            ("x-forwarded-host", PUBLIC_HOST),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-port", "443"),
            ("x-forwarded-for", client_ip),
            ("x-real-ip", client_ip),
            ("x-vercel-id", request_id),
            ("x-vercel-deployment-url", PUBLIC_HOST),
            ("x-vercel-internal-deadline", deadline.isoformat(timespec="milliseconds")),
            ("content-length", str(len(body))),
        ]
        upstream = HTTPConnection("127.0.0.1", self.server.function_port)
        timed_out = threading.Event()

        def cut():  # maxDuration bounds the whole invocation, not each read
            timed_out.set()
            with contextlib.suppress(OSError, AttributeError):
                upstream.sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(self.server.max_duration, cut)
        timer.start()
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                upstream.putheader(name, value)
            upstream.endheaders(body)
            response = upstream.getresponse()
            content = response.read()
        except (OSError, HTTPException):
            if timed_out.is_set():
                return self.vercel_error(504, "FUNCTION_INVOCATION_TIMEOUT", request_id)
            raise
        finally:
            timer.cancel()
            upstream.close()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("content-length", str(len(content)))
        self.send_header("x-vercel-id", request_id)
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    def read_body(self) -> bytes | None:
        """The request body, or None when it is over Vercel's limit (read and dropped, so the
        client gets the 413 instead of a reset connection)."""
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks, size = [], 0
            while chunk_size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(chunk_size))
                self.rfile.readline()
                size += chunk_size
            self.rfile.readline()
            return None if size > BODY_LIMIT else b"".join(chunks)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        return None if length > BODY_LIMIT else body

    def vercel_error(self, status: int, code: str, request_id: str):
        content = f"{self.responses[status][0]}\n\n{code}\n\n{request_id}\n".encode()
        self.send_response(status)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(content)))
        self.send_header("x-vercel-error", code)
        self.send_header("x-vercel-id", request_id)
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):  # the function logs requests itself
        pass


@contextlib.contextmanager
def edge_proxy(function_port: int, *, max_duration: float = MAX_DURATION):
    proxy = EdgeProxy(function_port, max_duration=max_duration)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def deploy(*steps: tuple, env: dict[str, str], timeout: float = 60) -> None:
    """Run `manage.py` deploy steps side by side (outside the sandbox, as Vercel's build and a
    CI deploy step run them); each step is (env overrides dict, *arguments)."""
    processes = [
        (
            arguments,
            subprocess.Popen(
                [sys.executable, "manage.py", *arguments],
                cwd=ROOT,
                env={**env, **overrides},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
        )
        for overrides, *arguments in steps
    ]
    failures = []
    try:
        for arguments, process in processes:
            try:
                output, _ = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            if process.returncode != 0:
                failures.append(f"manage.py {' '.join(arguments)}:\n{output}")
    finally:
        for _, process in processes:
            if process.poll() is None:
                process.kill()
    if failures:
        raise RuntimeError("\n".join(failures))


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    """The emulation's own directory (the IPC socket, the build output), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mockri-vercel-") as path:
        yield Path(path)
