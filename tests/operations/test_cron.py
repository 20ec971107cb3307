"""The Vercel Cron endpoint that runs the task queue: /internal/cron/tasks/."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.tasks import TaskResultStatus, task
from django.urls import resolve, reverse
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db
SECRET = "a-cron-secret-of-32-characters!!"
URL = "/internal/cron/tasks/"
VERCEL_JSON = Path(__file__).resolve().parents[2] / "vercel.json"


@task
def greet(*, name: str) -> str:
    return f"hello {name}"


@pytest.fixture
def cron_secret(settings):
    settings.CRON_SECRET = SECRET


def cron_get(client, authorization: str | None = f"Bearer {SECRET}"):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.get(URL, headers=headers)


def test_the_cron_path_is_the_one_vercel_json_calls_with_no_redirect():
    config = json.loads(VERCEL_JSON.read_text())

    assert config["crons"] == [{"path": URL, "schedule": "* * * * *"}]
    assert reverse("operations:cron_tasks") == URL
    assert resolve(URL).url_name == "cron_tasks"
    # The drain budget leaves the last task 30 seconds inside the function's limit.
    assert config["functions"]["mockri/wsgi.py"]["maxDuration"] == (
        project_settings.TASK_MAX_DURATION_SECONDS
    )
    assert project_settings.TASK_DRAIN_BUDGET_SECONDS == 270


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", f"Bearer {SECRET[:-1]}", f"bearer {SECRET}", SECRET, f"Basic {SECRET}"],
)
def test_cron_is_404_without_the_exact_bearer_secret(client, cron_secret, authorization):
    greet.using(backend="database").enqueue(name="Kavya")

    response = cron_get(client, authorization)

    assert response.status_code == 404
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer None"])
def test_cron_is_404_when_no_secret_is_configured(client, settings, authorization):
    settings.CRON_SECRET = ""

    assert cron_get(client, authorization).status_code == 404


def test_cron_is_404_for_a_post_even_with_the_secret(client, cron_secret):
    response = client.post(URL, headers={"Authorization": f"Bearer {SECRET}"})

    assert response.status_code == 404


def test_cron_drains_the_queue_restarts_the_chains_and_says_what_it_ran(
    client, cron_secret, database_queue, now
):
    greeting = greet.enqueue(name="Kavya")

    response = cron_get(client)

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    body = response.json()
    chains = [
        "payments_reconcile_task",
        "outbox_recover_task",
        "retention_purge_task",
        "interview_reminders_task",
        "reliability_review_all_task",
        "packs_maintain_task",
    ]
    assert body["chains_started"] == chains
    assert body["reaped"] == {"requeued": [], "failed": []}
    assert body["ran"][0] == {"id": greeting.id, "task": "greet", "status": "SUCCESSFUL"}
    assert [r["task"] for r in body["ran"]] == ["greet", *chains]
    assert (body["successful"], body["failed"], body["remaining"], body["stopped"]) == (
        1 + len(chains),
        0,
        0,
        "empty",
    )
    # Each chain ran and queued its next run, so the next cron call starts none.
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(
        [
            "mockri.payments.tasks.payments_reconcile_task",
            "mockri.notifications.tasks.outbox_recover_task",
            "mockri.privacy.tasks.retention_purge_task",
            "mockri.preparation.tasks.interview_reminders_task",
            "mockri.earnings.tasks.reliability_review_all_task",
            "mockri.packs.tasks.packs_maintain_task",
        ]
    )
    assert cron_get(client).json()["chains_started"] == []


def test_cron_requeues_a_task_killed_mid_run_and_runs_it(client, cron_secret, database_queue, now):
    greeting = greet.enqueue(name="Kavya")
    DBTaskResult.objects.filter(pk=greeting.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=now - datetime.timedelta(seconds=300 + 60 + 1),
        worker_ids=["cron-killed"],
    )

    body = cron_get(client).json()

    assert body["reaped"] == {"requeued": [greeting.id], "failed": []}
    assert body["ran"][0] == {"id": greeting.id, "task": "greet", "status": "SUCCESSFUL"}
    assert DBTaskResult.objects.get(pk=greeting.id).worker_ids == [
        "cron-killed",
        body["worker_id"],
    ]
