"""Settings for Vercel and Neon: the cron drain, Blob storage and the database URLs. Run in a
subprocess, as production imports them, by the helpers of tests/test_settings.py."""

import pytest

from tests.test_settings import PRODUCTION, run_django


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
