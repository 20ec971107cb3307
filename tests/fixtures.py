"""Fixtures and helpers shared by every app's tests (registered in tests/conftest.py, which also
holds the fixed cast): the frozen clock, bookings, private storage, the task queue and the outbox.

Anything that stamps a time runs under the frozen clock: request `now` (the cast does).
"""

import datetime
import io
import threading
import uuid
import zipfile
from contextlib import contextmanager

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.tasks import task_backends
from django.test import TestCase
from django.utils import timezone

from mockri.bookings.enums import FileKind
from mockri.bookings.models import Booking
from mockri.bookings.selectors import offered_rules_forget
from mockri.bookings.services import NewFile, booking_create
from mockri.bookings.uploads import DOCX, PDF, CheckedUpload
from mockri.lib.errors import DomainError
from mockri.operations.funnel import funnel_forget
from mockri.scheduling.models import WeeklyAvailability
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory

# Tuesday 1 December 2026, 09:00 in India.
NOW = datetime.datetime(2026, 12, 1, 3, 30, tzinfo=datetime.UTC)
# Wednesday 2 December, 10:00 in India (open in India, not yet in London).
SLOT = datetime.datetime(2026, 12, 2, 4, 30, tzinfo=datetime.UTC)
# 15:00 in India and 09:30 in London: both interviewers are open.
SLOT_BOTH = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC)

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def slot_link(start: datetime.datetime) -> str:
    """How a picker's link to the details step carries a start: in UTC, to the minute."""
    return f"?start={start.astimezone(datetime.UTC):%Y-%m-%dT%H:%MZ}"


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", "<w:document>Kavya Sharma, backend engineer</w:document>"
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _no_kept_rules():
    """Every test starts with no interviewers' rules kept in memory: tests roll their database
    back, so a rules version can come round again over other rows (ids are reused on SQLite)."""
    offered_rules_forget()


def clear_caches():
    """Empty the shared cache and this process's copy of it (the slot pages' "process" cache),
    as a cold start finds them."""
    cache.clear()
    caches["process"].clear()


@pytest.fixture(autouse=True)
def _no_process_copy():
    """Every test starts with nothing in this process's copy of the shared cache: the shared
    one is rolled back with the test's database, this one is not."""
    caches["process"].clear()


@pytest.fixture(autouse=True)
def _no_funnel_tally():
    """Every test starts with no page views tallied in memory (operations.funnel), and its first
    one written at once, and leaves none for the next test to write."""
    funnel_forget()
    yield
    funnel_forget()


@pytest.fixture
def now():
    """The clock stopped at NOW for the whole test, fixtures included."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploads, photos and avatars go to a fresh private directory, returned."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def shared_cache():
    """The cache that web processes share (rate limits, slot pages), empty before and after: the
    database cache, or Redis when REDIS_URL is set. `make test` runs every test that uses this
    fixture once more against Redis (they are marked `shared_cache`)."""
    clear_caches()
    yield cache
    clear_caches()


def open_all_week(profile, start="09:00", end="18:00"):
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(
            interviewer=profile,
            weekday=day,
            start_time=datetime.time.fromisoformat(start),
            end_time=datetime.time.fromisoformat(end),
        )
        for day in range(7)
    )
    return profile


@pytest.fixture
def profile(interviewer):
    return open_all_week(interviewer.interviewer_profile)


@pytest.fixture
def other_profile(other_interviewer):
    return open_all_week(other_interviewer.interviewer_profile, "09:00", "18:00")


@pytest.fixture
def paid_type(profile):
    return InterviewTypeFactory(
        name="System Design", slug="system-design", price_paise=199_900, interviewers=[profile]
    )


@pytest.fixture
def free_type(profile):
    return InterviewTypeFactory(
        name="Career chat",
        slug="career-chat",
        price_paise=0,
        duration_minutes=20,
        interviewers=[profile],
    )


def resume_file(data: bytes = PDF_BYTES, name: str = "Kavya resume.pdf") -> NewFile:
    uploaded = SimpleUploadedFile(name, data, content_type="application/pdf")
    kind = PDF if data.startswith(b"%PDF") else DOCX
    return NewFile(
        FileKind.RESUME,
        uploaded,
        CheckedUpload(content_type=kind, extension="pdf", display_name=name, size_bytes=len(data)),
    )


@pytest.fixture
def book(private_storage):
    """Book through the service with sensible defaults; returns the booking."""

    def make(*, candidate, interview_type, interviewer=None, starts_at=SLOT, **extra):
        extra.setdefault("files", [resume_file()])
        extra.setdefault("job_description_text", "Backend engineer, payments team.")
        return booking_create(
            candidate=candidate,
            interview_type=interview_type,
            interviewer=interviewer,
            starts_at=starts_at,
            idempotency_key=extra.pop("idempotency_key", uuid.uuid4()),
            **extra,
        )

    return make


def past_session(*, candidate, interviewer, interview_type, starts_at, status="completed"):
    """A session that already took place, written directly: the services refuse past times."""
    ends_at = starts_at + datetime.timedelta(minutes=interview_type.duration_minutes)
    return Booking.objects.create(
        candidate=candidate,
        interviewer=interviewer,
        interview_type=interview_type,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        busy_until=ends_at + datetime.timedelta(minutes=interviewer.buffer_minutes),
        price_paise=interview_type.price_paise,
    )


class TaskQueue:
    """What the code under test enqueued on the default backend, and a way to run it."""

    def __init__(self, backend):
        self.backend = backend

    @property
    def enqueued(self):
        return list(self.backend.results)

    def names(self) -> list[str]:
        return [result.task.name for result in self.backend.results]

    def run_all_except(self, *names: str) -> None:
        """Run what run_all runs but the named tasks (e.g. ones that would call the network),
        which stay queued, also when a task that runs queues them."""
        while due := self.due(excluding=names):
            self._run(due[0])

    def due(self, *, excluding: tuple[str, ...] = ()) -> list:
        """Enqueued tasks a worker would run now, other than the named ones."""
        return [r for r in self.backend.results if _is_due(r) and r.task.name not in excluding]

    def run_all(self) -> None:
        """Run enqueued tasks that are due, in order, including any they enqueue, until none is
        due. Tasks deferred to later (run_after in the future) stay queued, as in a worker."""
        while due := self.due():
            self._run(due[0])

    def _run(self, result) -> None:
        self.backend.results.remove(result)
        result.task.call(*result.args, **result.kwargs)


def _is_due(result) -> bool:
    run_after = result.task.run_after
    return run_after is None or run_after <= timezone.now()


@pytest.fixture(autouse=True)
def task_queue():
    backend = task_backends["default"]
    backend.clear()
    yield TaskQueue(backend)
    backend.clear()


@contextmanager
def emails_sent():
    """Run the block, with what it queues on commit, then send the emails it queued as the
    outbox worker would (into django.core.mail.outbox). Other queued tasks stay queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    send_queued_emails()


def send_queued_emails() -> None:
    """Run the email sends that are due (a retry waits for its time, as in a worker)."""
    backend = task_backends["default"]
    while sends := [r for r in backend.results if _is_due_send(r)]:
        for result in sends:
            backend.results.remove(result)
            result.task.call(*result.args, **result.kwargs)


def _is_due_send(result) -> bool:
    return result.task.name == "outbox_send_task" and _is_due(result)


__all__ = ["NOW", "PDF_BYTES", "SLOT", "SLOT_BOTH", "InterviewerProfileFactory", "docx_bytes"]


def at_once(attempts, *, refusal=lambda error: type(error).__name__) -> list[str]:
    """Run the attempts at the same moment, each in its own thread on its own database
    connection (a race on PostgreSQL); their sorted outcomes: "done", `refusal(error)` for a
    DomainError (its class name by default), or "error: ..." for anything else."""
    start_together = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(attempt):
        try:
            start_together.wait()
            attempt()
            result = "done"
        except DomainError as error:
            result = refusal(error)
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
