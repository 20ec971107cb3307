"""A person asks for a copy of their data and deletes their account, alone, in a browser; each
action asks them to confirm their password first."""

import pytest

from mockri.accounts.models import Consent, User
from mockri.privacy.models import DataExport
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_password(page):
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_download_my_data_then_delete_my_account(live_server, page, sign_in, candidate):
    sign_in(candidate)

    page.get_by_label("Your account").click()
    page.get_by_role("link", name="Your data").click()
    page.get_by_role("button", name="Download my data").click()
    confirm_password(page)
    page.get_by_text("We're preparing a copy of your data").wait_for()
    assert DataExport.objects.filter(user=candidate).count() == 1

    page.get_by_role("link", name="delete my account").click()
    page.get_by_text("This cannot be undone.", exact=True).wait_for()
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("heading", name="Your account is deleted").wait_for()

    erased = User.objects.get(pk=candidate.pk)
    assert erased.erased_at is not None and not erased.is_active
    page.goto(f"{live_server.url}/account/")
    assert "/accounts/login/" in page.url


def test_withdrawing_consent_is_as_few_steps_as_giving_it(page, sign_in, candidate):
    sign_in(candidate)

    page.get_by_label("Your account").click()
    page.get_by_role("link", name="Your data").click()
    page.get_by_role("link", name="withdrawing your consent").click()
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Withdraw consent and delete my account").click()
    confirm_password(page)
    page.get_by_role("heading", name="Your account is deleted").wait_for()

    assert Consent.objects.get(user=candidate).withdrawn_at is not None
