import pytest


@pytest.fixture
def database_queue(settings):
    """Make the database backend the default one, as in production, so tasks enqueued by the
    code under test (chains rescheduling themselves) land in the real queue."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
