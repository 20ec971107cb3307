"""Settings for Vercel and Neon: the cron drain, Blob storage and the database URLs. Run in a
subprocess, as production imports them, by the helpers of tests/test_settings.py."""

import json

import pytest

from tests.test_settings import PRODUCTION, run_django


def production_setting_values(tmp_path, names: list[str], env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = run_django(
        ["-c", code],
        {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "mockri.settings", **env},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"CRON_SECRET": "short-secret"}, "CRON_SECRET must be at least 16 random characters"),
        ({"TASK_DRAIN_BUDGET_SECONDS": "300"}, "TASK_DRAIN_BUDGET_SECONDS must be above 0"),
        ({"TASK_DRAIN_BUDGET_SECONDS": "0"}, "TASK_DRAIN_BUDGET_SECONDS must be above 0"),
    ],
)
def test_production_refuses_a_weak_cron_secret_or_a_budget_past_the_limit(
    tmp_path, override, message
):
    result = run_django(["manage.py", "check"], {**PRODUCTION, **override}, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


BLOB_TOKEN = "vercel_blob_rw_Mockri0Store1_s3cr3tPart"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"FILE_STORAGE": "vercel_blob"}, "FILE_STORAGE=vercel_blob needs BLOB_READ_WRITE_TOKEN"),
        (
            {"FILE_STORAGE": "vercel_blob", "BLOB_READ_WRITE_TOKEN": "vercel_blob_ro_x_y"},
            "FILE_STORAGE=vercel_blob needs BLOB_READ_WRITE_TOKEN",
        ),
        ({"FILE_STORAGE": "s3"}, "FILE_STORAGE must be filesystem or vercel_blob, not 's3'"),
    ],
)
def test_blob_storage_without_a_read_write_token_refuses_to_start(tmp_path, override, message):
    result = run_django(["manage.py", "check"], {**PRODUCTION, **override}, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


def test_blob_storage_is_the_default_storage_when_selected(tmp_path):
    values = production_setting_values(
        tmp_path,
        ["STORAGES"],
        {"FILE_STORAGE": "vercel_blob", "BLOB_READ_WRITE_TOKEN": BLOB_TOKEN},
    )

    assert values["STORAGES"]["default"] == {
        "BACKEND": "mockri.lib.storage.VercelBlobStorage",
        "OPTIONS": {"token": BLOB_TOKEN},
    }


def test_the_local_filesystem_stays_the_default_storage(tmp_path):
    values = production_setting_values(tmp_path, ["STORAGES"], {})

    assert values["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
