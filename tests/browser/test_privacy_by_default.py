"""In a real browser, Mockri's pages load nothing from any host but Mockri's own."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_and_privacy_policy_request_nothing_from_other_hosts(live_server, page):
    call_command("seed_demo", stdout=None)
    app_host = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    console_errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("response", lambda r: r.status >= 400 and console_errors.append(f"{r.status} {r.url}"))

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_text("System Design").first.is_visible()
    page.goto(f"{live_server.url}/privacy/")
    assert page.get_by_role("heading", name="Privacy Policy", level=1).is_visible()

    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {app_host}
    assert any(url.endswith(".css") for url in requested)
    assert any(url.endswith("htmx.min.js") for url in requested)
    assert console_errors == []  # a CSP violation would show up here
