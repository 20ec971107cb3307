import datetime

import pytest
import time_machine
from django.db import OperationalError
from django.tasks import task
from django.urls import reverse

pytestmark = pytest.mark.django_db


@task
def noop_task():
    return "done"


def test_healthz_reports_a_reachable_database_and_an_empty_queue(client):
    response = client.get(reverse("operations:healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": {"reachable": True},
        "tasks": {"queued": 0, "oldest_queued_age_seconds": None},
    }


def test_healthz_counts_queued_tasks_and_the_age_of_the_oldest(client):
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)):
        noop_task.using(backend="database").enqueue()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 5, tzinfo=datetime.UTC)):
        noop_task.using(backend="database").enqueue()

    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 10, tzinfo=datetime.UTC)):
        body = client.get(reverse("operations:healthz")).json()

    assert body["tasks"] == {"queued": 2, "oldest_queued_age_seconds": 600}


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", refuse)

    response = client.get(reverse("operations:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"reachable": False}}


def test_healthz_is_never_cached(client):
    response = client.get(reverse("operations:healthz"))

    assert "no-store" in response["Cache-Control"]
