"""A NUL character in a path, query or form value is a 400: PostgreSQL text cannot hold one, so
a lookup by it would otherwise be a 500 there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_form_value_is_a_400(client, candidate):
    client.force_login(candidate)

    response = client.post(reverse("payments:checkout_complete"), {"razorpay_order_id": "\x00"})

    assert response.status_code == 400


def test_a_nul_in_a_query_value_is_a_400(client, candidate, now, paid_type, profile):
    client.force_login(candidate)

    response = client.get(
        reverse("bookings:new", kwargs={"slug": paid_type.slug}), {"interviewer": "a\x00"}
    )

    assert response.status_code == 400


def test_a_nul_in_the_path_is_a_400(client, candidate):
    client.force_login(candidate)

    response = client.get("/bookings/MK-%00/")

    assert response.status_code == 400


def test_a_webhook_still_reads_its_raw_body_whatever_its_form_values(client, settings):
    settings.PAYMENT_GATEWAY = "test"

    response = client.post(reverse("payments:razorpay_webhook"), {"event": "\x00"})

    assert response.status_code == 400
    assert response.content == b"Bad signature."


def test_a_form_without_nul_passes(client, candidate):
    client.force_login(candidate)

    response = client.post(reverse("payments:checkout_complete"), {"razorpay_order_id": "x"})

    assert response.status_code == 404
