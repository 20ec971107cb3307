"""The task framework: the database backend runs jobs through `manage.py db_worker`."""

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task


@task
def add(a: int, b: int) -> int:
    return a + b


# The worker closes and reopens database connections, which a wrapping test transaction cannot
# survive on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_a_job_queued_in_the_database():
    result = add.using(backend="database").enqueue(2, 3)

    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


def test_tests_can_see_what_was_enqueued_and_run_it(task_queue):
    add.enqueue(1, 2)

    assert task_queue.names() == ["add"]
    task_queue.run_all()
    assert task_queue.enqueued == []
