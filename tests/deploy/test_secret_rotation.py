"""Rotating SECRET_KEY (README, "Rotating secrets"): the former key goes to SECRET_KEY_FALLBACKS,
so people stay signed in, and production refuses a weak fallback like a weak key."""

from django.test import Client
from django.urls import reverse

from tests.test_deployment_settings import production_setting_values
from tests.test_settings import PRODUCTION, STRONG_KEY, run_django

NEW_KEY = STRONG_KEY
OLD_KEY = "Zr4Tq8Wn1Hk6Xb3Lc9Vm2Pf7Yd0Gs5Ja-Ue_Oi8Rt3Ey6Kw1Nq4Bz7Mx2Cv5Sl9Dh"


def test_production_reads_the_former_keys_from_secret_key_fallbacks(tmp_path):
    values = production_setting_values(
        tmp_path, ["SECRET_KEY", "SECRET_KEY_FALLBACKS"], {"SECRET_KEY_FALLBACKS": OLD_KEY}
    )

    assert values == {"SECRET_KEY": NEW_KEY, "SECRET_KEY_FALLBACKS": [OLD_KEY]}


def test_production_refuses_a_weak_fallback_key(tmp_path):
    result = run_django(
        ["manage.py", "check"],
        {**PRODUCTION, "SECRET_KEY_FALLBACKS": f"{OLD_KEY},too-short"},
        tmp_path,
    )

    assert result.returncode != 0
    assert "each of SECRET_KEY_FALLBACKS must be a former SECRET_KEY" in result.stderr


def test_sessions_from_before_the_rotation_stay_signed_in_only_with_the_fallback(
    client, candidate, settings
):
    settings.SECRET_KEY = OLD_KEY
    client.force_login(candidate)
    other_browser = Client()
    other_browser.force_login(candidate)
    bookings = reverse("bookings:list")

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    kept = client.get(bookings)
    settings.SECRET_KEY_FALLBACKS = []
    dropped = other_browser.get(bookings)

    assert kept.status_code == 200
    assert dropped.status_code == 302
    assert dropped.url == f"{reverse('account_login')}?next={bookings}"
