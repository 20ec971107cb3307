"""What Vercel's build reads from the repository: the Python version, vercel.json and the pinned
runtime. (Settings and collectstatic without a database: tests/test_deployment_settings.py.)"""

import importlib.metadata
import json
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
VERCEL_JSON = json.loads((ROOT / "vercel.json").read_text())


def test_vercel_builds_with_python_3_12_which_the_project_allows():
    # Vercel reads .python-version (3.12, 3.13 or 3.14; anything else falls back to 3.12).
    version = (ROOT / ".python-version").read_text().strip()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]

    assert (version, requires) == ("3.12", ">=3.12")


def test_vercel_json_builds_django_in_singapore_beside_neon():
    # "framework": null would build no function and publish the source tree as static files.
    assert VERCEL_JSON["framework"] == "django"
    assert VERCEL_JSON["regions"] == ["sin1"]
    assert "builds" not in VERCEL_JSON  # legacy: it would turn the Django preset off


def test_the_function_config_names_the_wsgi_entrypoint_and_the_task_drains_duration():
    entrypoint = settings.WSGI_APPLICATION.rpartition(".")[0].replace(".", "/") + ".py"
    function = VERCEL_JSON["functions"][entrypoint]

    assert (ROOT / entrypoint).is_file()
    assert function["maxDuration"] == settings.TASK_MAX_DURATION_SECONDS == 300
    # Tests, benchmarks and CI scripts stay out of the bundle; the app and manage.py do not.
    assert function["excludeFiles"] == "{tests/**,bench/**,scripts/**,.ci/**}"


def test_vercel_cron_calls_the_task_drain_every_minute():
    assert VERCEL_JSON["crons"] == [{"path": "/internal/cron/tasks/", "schedule": "* * * * *"}]


def test_production_runs_the_vercel_runtime_the_emulation_runs():
    # Vercel's builder installs its own vercel-runtime unless VERCEL_RUNTIME_PYTHON names one;
    # the build reads it from its environment, which vercel.json's build.env sets.
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = next(p["version"] for p in lock["package"] if p["name"] == "vercel-runtime")

    assert VERCEL_JSON["build"]["env"] == {"VERCEL_RUNTIME_PYTHON": f"vercel-runtime=={locked}"}
    assert importlib.metadata.version("vercel-runtime") == locked
