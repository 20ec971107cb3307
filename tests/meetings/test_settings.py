"""A selected meeting provider without its settings refuses to start, with a clear message."""

import pytest

from tests.test_settings import run_django

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
