import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mockri.accounts.middleware import UserTimezoneMiddleware
from mockri.accounts.models import ConsentSource
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def current_zone_name(request):
    return HttpResponse(timezone.get_current_timezone_name())


def test_times_are_rendered_in_the_signed_in_users_timezone(candidate):
    candidate.timezone = "America/New_York"
    request = RequestFactory().get("/")
    request.user = candidate

    response = UserTimezoneMiddleware(current_zone_name)(request)

    assert response.content == b"America/New_York"


def log_in(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})


def test_a_new_policy_version_asks_a_signed_in_user_to_accept_it(client, candidate, settings):
    log_in(client, candidate)
    assert client.get(reverse("catalogue:types")).status_code == 200

    settings.PRIVACY_POLICY_VERSION = "2026-12-01"
    blocked = client.get(reverse("catalogue:types"))
    policy = client.get(reverse("privacy:policy"))
    consent_page = client.get(blocked.url)
    refused = client.post(reverse("accounts:consent"), {"next": reverse("catalogue:types")})
    accepted = client.post(
        reverse("accounts:consent"),
        {"next": reverse("catalogue:types"), "accepts_privacy_policy": "on"},
    )

    assert blocked.status_code == 302
    assert blocked.url == f"{reverse('accounts:consent')}?next=%2Finterviews%2F"
    assert policy.status_code == 200
    assert reverse("privacy:my_data") in consent_page.content.decode()
    assert refused.status_code == 200
    assert accepted.status_code == 302
    assert accepted.url == reverse("catalogue:types")
    assert client.get(reverse("catalogue:types")).status_code == 200
    # Both stamped at the frozen moment: the id breaks the tie (PostgreSQL keeps no order).
    assert list(
        candidate.consents.order_by("accepted_at", "pk").values_list("policy_version", "source")
    ) == [("2026-05-16", ConsentSource.SIGNUP_FORM), ("2026-12-01", ConsentSource.RECONSENT)]


def test_the_consent_page_never_redirects_to_another_site(client, candidate):
    log_in(client, candidate)

    response = client.post(
        reverse("accounts:consent"),
        {"next": "https://evil.example/", "accepts_privacy_policy": "on"},
    )

    assert response.url == "/"


@pytest.mark.parametrize("next_url", ["foo", "accounts:profile", "admin:index", "//evil.example"])
def test_the_consent_page_sends_a_next_that_is_not_a_path_home(client, candidate, next_url):
    log_in(client, candidate)

    page = client.get(reverse("accounts:consent"), {"next": next_url})
    response = client.post(
        reverse("accounts:consent"), {"next": next_url, "accepts_privacy_policy": "on"}
    )

    assert page.context["next"] == "/"
    assert (response.status_code, response.url) == (302, "/")


def test_staff_without_two_factor_cannot_open_the_staff_area(client, staff):
    log_in(client, staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_with_two_factor_open_the_staff_area(client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_an_interviewer_without_two_factor_is_sent_to_set_it_up(client, interviewer):
    client.force_login(interviewer)

    response = client.get("/interviewer/")

    assert response.url == reverse("mfa_activate_totp")


def test_the_admin_sign_in_goes_through_mockris_sign_in(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
