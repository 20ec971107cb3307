import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import TEST_PASSWORD
from tests.fixtures import open_all_week

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MOCKRI_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, so Django's async-safety guard does not apply here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *(["--no-sandbox"] if os.geteuid() == 0 else []),
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server, page):
    """Sign `user` in through the real sign-in form (password: the factories' TEST_PASSWORD)."""

    def signed_in(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text(user.get_short_name(), exact=True).wait_for()

    return signed_in


@pytest.fixture
def open_interviewer(interviewer):
    """The interviewer, bookable all day every day with an hour's notice."""
    profile = open_all_week(interviewer.interviewer_profile, "00:00", "23:30")
    profile.min_notice_minutes = 60
    profile.save()
    return profile
