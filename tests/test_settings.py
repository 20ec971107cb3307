"""Production mode (DEBUG=False) must refuse insecure configuration and pass `check --deploy`."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mockri import settings as project_settings

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "q9Xv2LmT7rBz4Wc8Nf1Hs6Kd3Yp0Ge5Uj-Ra_Qw7Eo2Ti9Mn4Lb6Vc1Zx8Sa3Dk5Fh"
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "mockri.com",
    "EMAIL_PROVIDER": "smtp",
    "RAZORPAY_KEY_ID": "rzp_live_0wFRWIZnH65uny",
    "RAZORPAY_KEY_SECRET": "a-key-secret-from-the-dashboard",
    "RAZORPAY_WEBHOOK_SECRET": "a-webhook-secret-we-chose",
    # Production makes meeting links with a provider the privacy policy names.
    "MEETING_PROVIDER": "calcom",
    "CALCOM_API_KEY": "cal_live_0123456789abcdef",
    "CALCOM_EVENT_TYPE_ID": "123",
    "CALCOM_WEBHOOK_SECRET": "a-cal-com-webhook-secret",
}


def run_django(args: list[str], env: dict[str, str], tmp_path: Path):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean_env, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_setting_values(tmp_path, names: list[str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = run_django(
        ["-c", code], {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "mockri.settings"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be a random value"),
        ({"SECRET_KEY": "too-short-secret"}, "SECRET_KEY must be a random value"),
        ({"SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 6}, "SECRET_KEY must be a random"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be a random value"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the site's hosts"),
        ({"DEBUG": "ture"}, "DEBUG must be True or False"),
        ({"EMAIL_PROVIDER": "resend"}, "EMAIL_PROVIDER=resend needs RESEND_API_KEY"),
        ({"EMAIL_PROVIDER": "carrier-pigeon"}, "EMAIL_PROVIDER must be console, smtp or resend"),
        ({"RAZORPAY_WEBHOOK_SECRET": ""}, "Razorpay needs all of RAZORPAY_KEY_ID"),
        (
            {"RAZORPAY_KEY_ID": "", "RAZORPAY_KEY_SECRET": "", "RAZORPAY_WEBHOOK_SECRET": ""},
            "No Razorpay keys are set",
        ),
    ],
)
def test_production_mode_refuses_to_start_with_insecure_configuration(tmp_path, override, message):
    result = run_django(["manage.py", "check"], {**PRODUCTION, **override}, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_reports_the_console_email_backend_in_production(tmp_path):
    result = run_django(
        ["manage.py", "check", "--deploy"], {**PRODUCTION, "EMAIL_PROVIDER": "console"}, tmp_path
    )

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_production_cookies_and_transport_security(tmp_path):
    values = production_setting_values(
        tmp_path,
        [
            "SESSION_COOKIE_NAME",
            "CSRF_COOKIE_NAME",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "X_FRAME_OPTIONS",
            "SECURE_REFERRER_POLICY",
        ],
    )

    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
    }


def test_passwords_are_hashed_with_bcrypt_sha256_first():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher"
    )


def settings_variable_names() -> set[str]:
    source = (ROOT / "mockri" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))


def env_example_variable_names() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_env_example_lists_exactly_the_variables_settings_reads():
    assert settings_variable_names()  # the pattern must keep finding the readers
    assert env_example_variable_names() == settings_variable_names()


def test_readme_configuration_table_lists_every_variable():
    readme = (ROOT / "README.md").read_text()
    table_names = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))

    assert table_names == settings_variable_names()


def test_a_booking_rule_out_of_bounds_fails_at_start_up(tmp_path):
    result = run_django(
        ["manage.py", "check"], {**PRODUCTION, "BOOKING_MAX_UNPAID_HOLDS": "-1"}, tmp_path
    )

    assert result.returncode != 0
    assert "BOOKING_MAX_UNPAID_HOLDS must be from 1 to 20, not -1" in result.stderr
