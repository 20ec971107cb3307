"""The printable invoice and credit note pages (candidate and staff only), and the console's
invoices page."""

import datetime

import pytest
from django.urls import reverse

from mockri.invoices.services import buyer_details_save, invoice_issue
from mockri.operations.selectors import ATTENTION_KINDS
from tests.factories import UserFactory
from tests.fixtures import SLOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(gst, book, candidate, paid_type, profile, pay):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    buyer_details_save(booking=booking, place_of_supply="29")
    return invoice_issue(payment_id=pay(booking).pk)


def test_the_candidate_sees_their_printable_invoice(client, candidate, invoice):
    client.force_login(candidate)

    page = client.get(reverse("invoices:invoice", kwargs={"pk": invoice.pk})).content.decode()

    for text in [
        "Tax invoice MKR/26-27/00001",
        "GSTIN: 32ABCDE1234F1Z9",
        "Place of supply: Karnataka (29)",
        "999293",
        "IGST at 18%",
        "₹304.93",
        "₹1,999",
    ]:
        assert text in page


def test_staff_with_two_factor_see_it_too(client, staff, two_factor, invoice):
    two_factor(staff)
    client.force_login(staff)

    response = client.get(reverse("invoices:invoice", kwargs={"pk": invoice.pk}))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other_candidate", "interviewer"])
def test_anyone_else_gets_404(client, request, two_factor, invoice, who):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    response = client.get(reverse("invoices:invoice", kwargs={"pk": invoice.pk}))
    missing = client.get(reverse("invoices:credit_note", kwargs={"pk": 999}))

    assert (response.status_code, missing.status_code) == (404, 404)


def test_the_receipt_links_to_the_invoice(client, candidate, invoice):
    client.force_login(candidate)

    receipt = client.get(reverse("payments:receipt", kwargs={"number": invoice.payment.receipt.pk}))

    assert invoice.get_absolute_url() in receipt.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_console_lists_invoices_with_gst_totals_in_fixed_queries(
    client,
    staff,
    two_factor,
    gst,
    paid_type,
    profile,
    book,
    pay,
    count,
    django_assert_max_num_queries,
):
    for day in range(count):
        booking = book(
            candidate=UserFactory(),
            interview_type=paid_type,
            interviewer=profile,
            starts_at=SLOT + datetime.timedelta(days=day),
        )
        invoice_issue(payment_id=pay(booking).pk)
    two_factor(staff)
    client.force_login(staff)

    # With the console header's "needs attention" count (one query per kind).
    with django_assert_max_num_queries(13 + len(ATTENTION_KINDS)):
        page = client.get(reverse("invoices:console")).content.decode()

    assert f"Invoices ({count})" in page
    assert "MKR/26-27/00001" in page


def test_the_console_invoices_page_is_404_for_candidates(client, candidate, two_factor):
    two_factor(candidate)
    client.force_login(candidate)

    assert client.get(reverse("invoices:console")).status_code == 404
