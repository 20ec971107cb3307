"""Every kind of response carries the security headers: HTML, JSON, static files and errors."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [reverse("pages:home"), reverse("operations:healthz"), "/no-such-page/", "/static/css/app.css"],
)
def test_responses_carry_the_security_headers(client, url):
    response = client.get(url)

    assert response.status_code == (404 if url == "/no-such-page/" else 200)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_set_no_cookies_for_a_visitor(client):
    response = client.get(reverse("pages:home"))

    assert list(response.cookies) == []


def test_cors_is_not_opened_to_other_origins(client):
    response = client.get(reverse("pages:home"), headers={"Origin": "https://evil.example"})

    assert "Access-Control-Allow-Origin" not in response
