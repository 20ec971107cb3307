"""Staff run an export or an erasure only for a request its account's owner provably made:
while signed in as that account, or confirmed through the one-time link emailed to the
account's registered address."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from mockri.accounts.models import User
from mockri.notifications.models import OutboxEmail
from mockri.privacy.models import DataExport, Grievance
from mockri.privacy.services import GRIEVANCE_CONFIRM_LINK_VALID, grievance_submit
from tests.fixtures import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]
REFUSED = b"not confirmed by the account&#x27;s owner: nothing done"


@pytest.fixture
def console(client, staff, two_factor):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)

    def act(action, grievance):
        client.force_login(staff)
        return client.post(
            reverse("admin:privacy_grievance_changelist"),
            {"action": action, "_selected_action": [grievance.pk]},
            follow=True,
        )

    return act


def request_from(email, kind, *, user=None):
    return grievance_submit(
        user=user, name="Kavya", email=email, kind=kind, message="Please act.", now=NOW
    )


def confirmation_link(grievance) -> str:
    body = OutboxEmail.objects.get(dedupe_key=f"grievance_confirm:{grievance.reference}").text_body
    return re.search(r"http://\S+/contact/grievance/confirm/\S+/", body).group()


def follow(client, link, *, method="post"):
    return getattr(client, method)(link.removeprefix("http://testserver"))


def test_an_anonymous_erasure_request_naming_an_account_erases_nothing(console, candidate):
    response = console("delete_account", request_from("Kavya@Example.com", "erasure"))

    assert REFUSED in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_an_anonymous_access_request_naming_an_account_starts_no_copy(console, candidate):
    response = console("send_copy_of_data", request_from("kavya@example.com", "access"))

    assert REFUSED in response.content
    assert not DataExport.objects.exists()


def test_the_confirmation_goes_to_the_registered_address_without_the_typed_words(
    candidate, settings
):
    settings.SITE_URL = "http://testserver"
    grievance = grievance_submit(
        user=None,
        name="Bob http://evil.example",
        email="KAVYA@example.com",
        kind="erasure",
        message="Click http://evil.example/login",
        now=NOW,
    )

    email = OutboxEmail.objects.get(kind="grievance_confirm")
    assert (email.recipient, email.to_address) == (candidate, "kavya@example.com")
    assert grievance.reference in email.subject
    assert "evil.example" not in email.text_body + email.html_body
    assert Grievance.objects.get().verified_at is None


def test_after_the_owner_follows_the_link_staff_erase_the_account(
    client, console, candidate, settings
):
    settings.SITE_URL = "http://testserver"
    grievance = request_from("kavya@example.com", "erasure")
    link = confirmation_link(grievance)

    page = follow(client, link, method="get")
    assert page.status_code == 200 and b"Yes, I sent this request" in page.content
    assert Grievance.objects.get().verified_at is None  # opening the link alone confirms nothing
    confirmed = follow(client, link)
    response = console("delete_account", grievance)

    assert b"your request is confirmed" in confirmed.content
    grievance.refresh_from_db()
    assert (grievance.verified_at, grievance.user) == (NOW, candidate)
    assert b"their account is deleted" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is not None


def test_after_the_owner_follows_the_link_staff_send_a_copy_of_their_data(
    client, console, candidate, staff, settings
):
    settings.SITE_URL = "http://testserver"
    grievance = request_from("kavya@example.com", "access")
    follow(client, confirmation_link(grievance))

    response = console("send_copy_of_data", grievance)

    assert b"a copy of their data is being prepared" in response.content
    export = DataExport.objects.get()
    assert (export.user, export.requested_by) == (candidate, staff)


def test_the_confirmation_link_works_once(client, candidate, settings):
    settings.SITE_URL = "http://testserver"
    link = confirmation_link(request_from("kavya@example.com", "erasure"))
    follow(client, link)

    again = follow(client, link)
    page = follow(client, link, method="get")

    assert again.status_code == 410
    assert b"already been used or has expired" in again.content
    assert page.status_code == 410


def test_an_expired_confirmation_link_confirms_nothing(client, console, candidate, settings):
    settings.SITE_URL = "http://testserver"
    grievance = request_from("kavya@example.com", "erasure")
    link = confirmation_link(grievance)

    with time_machine.travel(NOW + GRIEVANCE_CONFIRM_LINK_VALID + datetime.timedelta(seconds=1)):
        response = follow(client, link)
    erasure = console("delete_account", grievance)

    assert response.status_code == 410
    assert Grievance.objects.get().verified_at is None
    assert REFUSED in erasure.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_an_unknown_confirmation_link_is_404(client):
    response = client.get(reverse("privacy:grievance_confirm", args=["not-a-token"]))

    assert response.status_code == 404


def test_a_request_made_signed_in_as_the_account_needs_no_link(console, candidate):
    grievance = request_from("kavya@example.com", "erasure", user=candidate)

    response = console("delete_account", grievance)

    assert not OutboxEmail.objects.filter(kind="grievance_confirm").exists()
    assert b"their account is deleted" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is not None


def test_a_request_signed_in_as_someone_else_naming_an_account_is_refused(
    console, candidate, other_candidate
):
    grievance = request_from("kavya@example.com", "erasure", user=other_candidate)

    response = console("delete_account", grievance)

    assert REFUSED in response.content
    assert OutboxEmail.objects.get(kind="grievance_confirm").recipient == candidate
    assert User.objects.get(pk=candidate.pk).erased_at is None
    assert User.objects.get(pk=other_candidate.pk).erased_at is None


def test_a_confirmed_consent_withdrawal_request_is_recorded_as_a_withdrawal(console, candidate):
    console("delete_account", request_from("kavya@example.com", "withdraw_consent", user=candidate))

    assert candidate.consents.get().withdrawn_at is not None


def test_a_request_from_another_address_changes_nothing(console, candidate):
    response = console("delete_account", request_from("someone@else.example", "erasure"))

    assert b"no account is registered with that email address" in response.content
    assert not OutboxEmail.objects.filter(kind="grievance_confirm").exists()
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_a_request_of_another_kind_changes_nothing(console, candidate):
    response = console("delete_account", request_from("kavya@example.com", "complaint"))

    assert b"not a request of this kind" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_staff_accounts_are_not_erased_from_the_queue(console, staff):
    response = console("delete_account", request_from(staff.email, "erasure", user=staff))

    assert b"no account is registered" in response.content
    assert User.objects.get(pk=staff.pk).erased_at is None


@pytest.mark.parametrize("email", ["kavya@example.com", "nobody@example.com"])
def test_the_thank_you_page_does_not_tell_whether_the_address_has_an_account(
    client, candidate, email
):
    response = client.post(
        reverse("privacy:grievance"),
        {"name": "K", "email": email, "kind": "erasure", "message": "Delete it."},
    )

    page = response.content.decode()
    assert "only once the account's owner confirms it" in page
    assert page.replace(Grievance.objects.get().reference, "REF").count(email) == 0
