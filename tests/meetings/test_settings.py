"""A selected meeting provider without its settings refuses to start, with a clear message; in
production only the providers the privacy policy names, unless Jitsi is explicitly allowed."""

import json

import pytest

from tests.test_deployment_settings import production_setting_values
from tests.test_settings import PRODUCTION, run_django

UNSET = {
    "MEETING_PROVIDER": "",
    "GOOGLE_CLIENT_ID": "",
    "GOOGLE_CLIENT_SECRET": "",
    "GOOGLE_CALENDAR_REFRESH_TOKEN": "",
    "CALCOM_API_KEY": "",
    "CALCOM_EVENT_TYPE_ID": "",
    "CALCOM_WEBHOOK_SECRET": "",
}


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"MEETING_PROVIDER": "zoom"}, "MEETING_PROVIDER must be jitsi, google or calcom"),
        (
            {"MEETING_PROVIDER": "google", "GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "s"},
            "MEETING_PROVIDER=google needs GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and "
            "GOOGLE_CALENDAR_REFRESH_TOKEN.",
        ),
        (
            {"MEETING_PROVIDER": "calcom", "CALCOM_API_KEY": "cal_live_x"},
            "MEETING_PROVIDER=calcom needs CALCOM_API_KEY, CALCOM_EVENT_TYPE_ID and "
            "CALCOM_WEBHOOK_SECRET.",
        ),
        ({"JITSI_BASE_URL": "meet.jit.si"}, "JITSI_BASE_URL must be an address"),
    ],
    ids=["unknown", "google without a refresh token", "calcom without its ids", "bad jitsi"],
)
def test_a_provider_without_its_settings_refuses_to_start(tmp_path, environment, message):
    result = run_django(["manage.py", "check"], {**UNSET, **environment}, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


def test_a_fully_configured_provider_starts(tmp_path):
    environment = {
        **UNSET,
        "MEETING_PROVIDER": "calcom",
        "CALCOM_API_KEY": "cal_live_x",
        "CALCOM_EVENT_TYPE_ID": "123",
        "CALCOM_WEBHOOK_SECRET": "a-secret-we-chose",
    }

    result = run_django(["manage.py", "check"], environment, tmp_path)

    assert result.returncode == 0, result.stderr


JITSI_REFUSED = (
    "With DEBUG=False, MEETING_PROVIDER must be google or calcom: the privacy policy names "
    "Google Meet and Cal.com for video, not Jitsi. To use Jitsi anyway, outside the policy, "
    "set MEETING_JITSI_OUTSIDE_PRIVACY_POLICY=True."
)


@pytest.mark.parametrize("provider", ["jitsi", ""], ids=["jitsi", "unset"])
def test_production_refuses_jitsi_which_the_privacy_policy_does_not_name(tmp_path, provider):
    result = run_django(
        ["manage.py", "check"], {**PRODUCTION, **UNSET, "MEETING_PROVIDER": provider}, tmp_path
    )

    assert result.returncode != 0
    assert JITSI_REFUSED in result.stderr


def test_production_takes_jitsi_only_when_explicitly_allowed_outside_the_policy(tmp_path):
    values = production_setting_values(
        tmp_path,
        ["MEETING_PROVIDER", "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY"],
        {**UNSET, "MEETING_PROVIDER": "jitsi", "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY": "True"},
    )

    assert values == {"MEETING_PROVIDER": "jitsi", "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY": True}


def test_production_with_a_listed_provider_does_not_allow_the_jitsi_fallback(tmp_path):
    values = production_setting_values(
        tmp_path, ["MEETING_PROVIDER", "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY"], {}
    )

    assert values == {"MEETING_PROVIDER": "calcom", "MEETING_JITSI_OUTSIDE_PRIVACY_POLICY": False}


def test_make_run_keeps_jitsi_offline(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.MEETING_PROVIDER, "
        "settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY, settings.JITSI_BASE_URL]))"
    )
    result = run_django(
        ["-c", code], {**UNSET, "DJANGO_SETTINGS_MODULE": "mockri.settings"}, tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["jitsi", True, "https://meet.jit.si"]
