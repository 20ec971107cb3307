"""The client's address for rate limits: what Vercel sets (its runtime passes the raw
X-Forwarded-For header as REMOTE_ADDR, a list or None), what our own proxies append, or the
connection's peer; never whatever a client wrote, and never a refused request over it."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.test import RequestFactory
from django.urls import reverse

from mockri.lib.client_ip import UNKNOWN_CLIENT, client_ip
from tests.test_deployment_settings import production_setting_values

CLIENT = "203.0.113.7"
SPOOFED = "6.6.6.6"


def request_with(**meta):
    request = RequestFactory().post("/")  # allauth limits only what is not a GET
    request.META.update(meta)
    return request


@pytest.fixture
def vercel(settings):
    settings.VERCEL = True
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": CLIENT}, CLIENT),
        ({"REMOTE_ADDR": f" {CLIENT} "}, CLIENT),
        ({"REMOTE_ADDR": "2001:db8::1"}, "2001:db8::1"),
        ({"REMOTE_ADDR": f"{SPOOFED}, {CLIENT}"}, CLIENT),
        ({"REMOTE_ADDR": f"{SPOOFED}, {CLIENT}", "HTTP_X_REAL_IP": CLIENT}, CLIENT),
        ({"REMOTE_ADDR": None, "HTTP_X_REAL_IP": CLIENT}, CLIENT),
        ({"REMOTE_ADDR": "garbage", "HTTP_X_REAL_IP": "also garbage"}, None),
        ({"REMOTE_ADDR": None}, None),
        ({"REMOTE_ADDR": ""}, None),
        ({"REMOTE_ADDR": f"{CLIENT},"}, None),
        ({"REMOTE_ADDR": "999.1.1.1"}, None),
    ],
    ids=[
        "one address",
        "padded",
        "ipv6",
        "spoofed entry before vercel's",
        "x-real-ip",
        "no forwarded-for",
        "garbage",
        "none",
        "empty",
        "trailing comma",
        "out of range",
    ],
)
def test_on_vercel_the_address_is_the_one_vercel_sets(vercel, meta, expected):
    assert client_ip(request_with(**meta)) == expected


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, f"{SPOOFED}, {CLIENT}", CLIENT),
        (1, CLIENT, CLIENT),
        (2, f"{SPOOFED}, {CLIENT}, 10.0.0.2", CLIENT),
        (2, CLIENT, None),  # fewer entries than proxies: one was bypassed
        (1, "", None),
        (1, "not-an-address", None),
    ],
)
def test_behind_our_proxies_the_address_is_the_one_the_outermost_saw(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count

    request = request_with(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_with_no_proxy_configured_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    request = request_with(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED)

    assert client_ip(request) == CLIENT


def test_an_address_that_cannot_be_told_shares_one_bucket_instead_of_failing(vercel):
    adapter = get_adapter()

    assert adapter.get_client_ip(request_with(REMOTE_ADDR=None)) == UNKNOWN_CLIENT
    assert adapter.get_client_ip(request_with(REMOTE_ADDR="garbage")) == UNKNOWN_CLIENT
    assert adapter.get_client_ip(request_with(REMOTE_ADDR=f"{SPOOFED}, {CLIENT}")) == CLIENT


def test_spoofed_entries_do_not_escape_the_rate_limit_on_vercel(settings, vercel, db, shared_cache):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "grievance": "2/m/ip"}
    tries = [
        request_with(REMOTE_ADDR=f"198.51.100.{n}, {CLIENT}", HTTP_X_REAL_IP=CLIENT)
        for n in range(3)
    ]
    other = request_with(REMOTE_ADDR="192.0.2.9", HTTP_X_REAL_IP="192.0.2.9")

    allowed = [ratelimit.consume(request, action="grievance") for request in tries]

    assert allowed == [True, True, False]
    assert ratelimit.consume(other, action="grievance") is True


def test_a_request_without_forwarded_for_on_vercel_is_served_not_refused(vercel, client, db):
    response = client.post(
        reverse("account_login"),
        {"login": "someone@example.com", "password": "not the password"},
        REMOTE_ADDR=None,
    )

    assert response.status_code == 200  # the form again, with its error; allauth gave a 403
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_vercels_own_variable_turns_it_on(tmp_path):
    values = production_setting_values(tmp_path, ["VERCEL", "TRUSTED_PROXY_COUNT"], {"VERCEL": "1"})

    assert values == {"VERCEL": True, "TRUSTED_PROXY_COUNT": 0}
