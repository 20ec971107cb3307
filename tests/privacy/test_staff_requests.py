"""Staff run an export or an erasure for someone who wrote in from their registered address."""

import pytest
from django.urls import reverse

from mockri.accounts.models import User
from mockri.privacy.models import DataExport
from mockri.privacy.services import grievance_submit
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client, staff, two_factor):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)

    def act(action, grievance):
        return client.post(
            reverse("admin:privacy_grievance_changelist"),
            {"action": action, "_selected_action": [grievance.pk]},
            follow=True,
        )

    return act


def request_from(email, kind):
    return grievance_submit(
        user=None, name="Kavya", email=email, kind=kind, message="Please act.", now=NOW
    )


def test_an_erasure_request_from_the_registered_address_deletes_the_account(
    console, candidate, staff
):
    response = console("delete_account", request_from("Kavya@Example.com", "erasure"))

    assert b"their account is deleted" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is not None


def test_a_consent_withdrawal_request_is_recorded_as_a_withdrawal(console, candidate):
    console("delete_account", request_from("kavya@example.com", "withdraw_consent"))

    assert candidate.consents.get().withdrawn_at is not None


def test_a_request_from_another_address_changes_nothing(console, candidate):
    response = console("delete_account", request_from("someone@else.example", "erasure"))

    assert b"no account is registered with that email address" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_a_request_of_another_kind_changes_nothing(console, candidate):
    response = console("delete_account", request_from("kavya@example.com", "complaint"))

    assert b"not a request of this kind" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_an_access_request_starts_a_copy_sent_to_the_registered_address(console, candidate, staff):
    response = console("send_copy_of_data", request_from("kavya@example.com", "access"))

    assert b"a copy of their data is being prepared" in response.content
    export = DataExport.objects.get()
    assert (export.user, export.requested_by) == (candidate, staff)


def test_staff_accounts_are_not_erased_from_the_queue(console, staff):
    response = console("delete_account", request_from(staff.email, "erasure"))

    assert b"no account is registered" in response.content
    assert User.objects.get(pk=staff.pk).erased_at is None
