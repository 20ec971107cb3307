import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.tasks import task_backends

from tests.factories import InterviewerProfileFactory, UserFactory

# Booking fixtures (a fixed "now", open interviewers, `book`) for every app that needs bookings.
pytest_plugins = ["tests.bookings.support"]


def pytest_configure(config):
    # Tasks go to an in-memory backend so tests can assert what was enqueued and run it; the
    # "database" alias is the production backend, for tests of the queue itself.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    # Backends made while importing the apps (task decorators) are dropped.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # bcrypt is deliberately slow; tests that are about hashing restore the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    from django.utils import timezone

    run_after = result.task.run_after
    return run_after is None or run_after <= timezone.now()


@pytest.fixture(autouse=True)
def task_queue():
    backend = task_backends["default"]
    backend.clear()
    yield TaskQueue(backend)
    backend.clear()


@pytest.fixture
def candidate(db):
    return UserFactory(full_name="Kavya Sharma", email="kavya@example.com")


@pytest.fixture
def other_candidate(db):
    return UserFactory(full_name="Rahul Verma", email="rahul@example.com")


@pytest.fixture
def interviewer(db):
    return InterviewerProfileFactory(user__full_name="Ananya Iyer").user


@pytest.fixture
def other_interviewer(db):
    return InterviewerProfileFactory(
        user__full_name="Sarah Collins", user__timezone="Europe/London"
    ).user


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Mockri Staff", is_staff=True)


@pytest.fixture
def real_hashers(settings):
    from mockri import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.fixture
def two_factor(db):
    """Give users a TOTP authenticator, as staff and interviewers must have."""
    from allauth.mfa.models import Authenticator

    def enable(*users):
        for user in users:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )

    return enable
