"""A person names who may exercise their rights on their death or incapacity (DPDP Act s.14)."""

import pytest
from django.urls import reverse

from mockri.privacy.models import Nominee

pytestmark = pytest.mark.django_db

NOMINEE = {"name": "Meera Sharma", "email": "Meera@Example.com", "relationship": "sister"}


def test_the_data_page_offers_to_name_a_nominee(client, candidate):
    client.force_login(candidate)

    assert b"Add a nominee" in client.get(reverse("privacy:my_data")).content


def test_naming_a_nominee_asks_to_confirm_it_is_you(client, candidate):
    client.force_login(candidate)

    response = client.post(reverse("privacy:nominee_new"), NOMINEE)

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Nominee.objects.exists()


def test_a_nominee_is_named_and_shown(candidate, reauthenticated):
    client = reauthenticated(candidate)

    response = client.post(reverse("privacy:nominee_new"), NOMINEE, follow=True)

    nominee = Nominee.objects.get()
    assert (nominee.user, nominee.email, nominee.relationship) == (
        candidate,
        "meera@example.com",
        "sister",
    )
    assert b"Meera Sharma is now your nominee" in response.content


def test_bad_input_is_refused_clearly(candidate, reauthenticated):
    client = reauthenticated(candidate)

    blank = client.post(reverse("privacy:nominee_new"), {**NOMINEE, "email": "not an address"})
    yourself = client.post(reverse("privacy:nominee_new"), {**NOMINEE, "email": candidate.email})

    assert blank.status_code == yourself.status_code == 422
    assert b"Enter a valid email address" in blank.content
    assert b"an email address other than yours" in yourself.content
    assert not Nominee.objects.exists()


def test_at_most_two_nominees(candidate, reauthenticated):
    client = reauthenticated(candidate)
    for email in ["a@example.com", "b@example.com", "c@example.com"]:
        response = client.post(reverse("privacy:nominee_new"), {**NOMINEE, "email": email})

    assert response.status_code == 422
    assert b"up to 2 nominees" in response.content
    assert Nominee.objects.count() == 2


def test_only_the_person_removes_their_nominee(client, candidate, other_candidate):
    nominee = Nominee.objects.create(user=candidate, **{**NOMINEE, "email": "m@example.com"})
    remove = reverse("privacy:nominee_delete", args=[nominee.pk])

    client.force_login(other_candidate)
    assert client.post(remove).status_code == 404
    client.force_login(candidate)
    assert client.post(remove).status_code == 302
    assert not Nominee.objects.exists()


def test_a_nominee_name_is_stored_on_one_line(client, candidate, reauthenticated):
    reauthenticated(candidate)

    client.post(
        reverse("privacy:nominee_new"),
        {
            "name": "Bob http://evil.example\nhttps://x",
            "email": "bob@example.com",
            "relationship": "friend",
        },
    )

    assert Nominee.objects.get().name == "Bob http://evil.example https://x"
