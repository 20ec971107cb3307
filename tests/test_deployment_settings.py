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
        ({"TASK_DRAIN_BUDGET_SECONDS": "300"}, "must be below TASK_MAX_DURATION_SECONDS"),
        ({"TASK_DRAIN_BUDGET_SECONDS": "0"}, "TASK_DRAIN_BUDGET_SECONDS must be from 1 to 800"),
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


NEON_POOLED = (
    "postgres://mockri:pw@ep-cool-river-123456-pooler.ap-southeast-1.aws.neon.tech/neondb"
    "?sslmode=require&channel_binding=require"
)
NEON_DIRECT = (
    "postgres://mockri:pw@ep-cool-river-123456.ap-southeast-1.aws.neon.tech/neondb"
    "?sslmode=require&channel_binding=require"
)


def database(tmp_path, env: dict[str, str]) -> dict:
    return production_setting_values(tmp_path, ["DATABASES"], env)["DATABASES"]["default"]


def test_requests_use_neons_pooler_with_tls_no_kept_connections_and_no_server_cursors(tmp_path):
    default = database(
        tmp_path, {"DATABASE_URL": NEON_POOLED, "DATABASE_URL_UNPOOLED": NEON_DIRECT}
    )

    assert default["HOST"] == "ep-cool-river-123456-pooler.ap-southeast-1.aws.neon.tech"
    assert default["OPTIONS"] == {"sslmode": "require", "channel_binding": "require"}
    assert (default["CONN_MAX_AGE"], default["DISABLE_SERVER_SIDE_CURSORS"]) == (0, True)
    assert default["CONN_HEALTH_CHECKS"] is True


def test_migrations_use_the_direct_address_when_asked(tmp_path):
    default = database(
        tmp_path,
        {
            "DATABASE_URL": NEON_POOLED,
            "DATABASE_URL_UNPOOLED": NEON_DIRECT,
            "DATABASE_DIRECT": "True",
        },
    )

    assert default["HOST"] == "ep-cool-river-123456.ap-southeast-1.aws.neon.tech"
    assert default["OPTIONS"] == {"sslmode": "require", "channel_binding": "require"}
    assert (default["CONN_MAX_AGE"], default["DISABLE_SERVER_SIDE_CURSORS"]) == (60, False)


def test_a_direct_server_keeps_connections_and_server_side_cursors(tmp_path):
    default = database(tmp_path, {"DATABASE_URL": "postgres://mockri:pw@db.internal:5432/mockri"})

    assert (default["CONN_MAX_AGE"], default["DISABLE_SERVER_SIDE_CURSORS"]) == (60, False)
    assert default["ENGINE"] == "mockri.lib.postgresql"  # health-checked once idle


def test_any_other_transaction_pooler_is_named_by_database_pooled(tmp_path):
    default = database(
        tmp_path,
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:6432/mockri", "DATABASE_POOLED": "True"},
    )

    assert (default["CONN_MAX_AGE"], default["DISABLE_SERVER_SIDE_CURSORS"]) == (0, True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": NEON_POOLED, "DATABASE_DIRECT": "True"},
            "DATABASE_DIRECT=True (for migrations) needs DATABASE_URL_UNPOOLED",
        ),
        (
            {
                "DATABASE_URL": NEON_POOLED,
                "DATABASE_URL_UNPOOLED": NEON_POOLED,
                "DATABASE_DIRECT": "True",
            },
            "DATABASE_URL_UNPOOLED names a pooler host",
        ),
    ],
)
def test_migrating_through_the_pooler_by_mistake_is_refused(tmp_path, env, message):
    result = run_django(["manage.py", "check"], {**PRODUCTION, **env}, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


def test_settings_and_collectstatic_need_no_database_at_build_time(tmp_path):
    # Vercel's build imports the settings and collects static files with no database reachable.
    unreachable = {
        "DATABASE_URL": "postgres://mockri:pw@127.0.0.1:9/neondb?sslmode=require&connect_timeout=2",
        "DJANGO_SETTINGS_MODULE": "mockri.settings",
    }

    result = run_django(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        {**PRODUCTION, **unreachable},
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
