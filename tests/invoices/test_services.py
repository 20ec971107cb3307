"""Tax invoices and credit notes: issued once per captured payment and processed refund,
numbered per financial year, split by the place of supply, immutable, emailed."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mockri.invoices.models import CreditNote, Invoice
from mockri.invoices.services import buyer_details_save, credit_note_issue, invoice_issue
from mockri.notifications.models import OutboxEmail
from mockri.payments.enums import RefundStatus
from mockri.payments.gateways.base import Refund as RefundInfo
from mockri.payments.services import refund_record, refund_request
from tests.fixtures import SLOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(book, candidate, paid_type, profile):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


def test_a_captured_payment_queues_its_invoice_when_invoicing_is_on(gst, held, pay, task_queue):
    payment = pay(held)

    assert "invoice_issue_task" in task_queue.names()
    task_queue.run_all()
    invoice = Invoice.objects.get(payment=payment)
    assert invoice.number == "MKR/26-27/00001"


def test_without_a_gstin_no_invoice_is_issued(held, pay, task_queue):
    payment = pay(held)

    assert "invoice_issue_task" not in task_queue.names()
    assert invoice_issue(payment_id=payment.pk) is None
    assert not Invoice.objects.exists()


def test_an_invoice_within_kerala_charges_cgst_and_sgst(gst, held, pay, candidate):
    buyer_details_save(booking=held, place_of_supply="32")
    payment = pay(held)

    invoice = invoice_issue(payment_id=payment.pk)

    # 199,900 * 9 / 118 = 15,246.6 → 15,247 each; the taxable value takes the rest.
    assert (invoice.taxable_paise, invoice.cgst_paise, invoice.sgst_paise, invoice.igst_paise) == (
        169_406,
        15_247,
        15_247,
        0,
    )
    assert invoice.total_paise == payment.amount_paise == 199_900
    assert (invoice.seller_gstin, invoice.sac_code, invoice.buyer_name) == (
        "32ABCDE1234F1Z9",
        "999293",
        "Kavya Sharma",
    )
    email = OutboxEmail.objects.get(kind="tax_invoice")
    assert email.to_address == candidate.email
    assert "CGST at 9%" in email.html_body
    assert "MKR/26-27/00001" in email.html_body


def test_an_invoice_to_another_state_charges_igst_and_shows_the_buyers_gstin(gst, held, pay):
    buyer_details_save(booking=held, place_of_supply="29", gstin="29aagcb7383j1z4")
    payment = pay(held)

    invoice = invoice_issue(payment_id=payment.pk)

    assert (invoice.cgst_paise, invoice.sgst_paise, invoice.igst_paise) == (0, 0, 30_493)
    assert (invoice.place_of_supply, invoice.buyer_gstin) == ("29", "29AAGCB7383J1Z4")
    assert invoice.place_of_supply_name == "Karnataka (29)"


def test_without_a_state_on_record_the_place_of_supply_is_the_suppliers(gst, held, pay):
    invoice = invoice_issue(payment_id=pay(held).pk)

    assert invoice.place_of_supply == "32"
    assert invoice.igst_paise == 0


def test_issuing_twice_returns_the_same_invoice_and_sends_one_email(gst, held, pay):
    payment = pay(held)

    first = invoice_issue(payment_id=payment.pk)
    again = invoice_issue(payment_id=payment.pk)

    assert first == again
    assert OutboxEmail.objects.filter(kind="tax_invoice").count() == 1


def test_numbers_run_on_within_a_financial_year_and_start_again_in_april(
    gst, book, candidate, other_candidate, paid_type, profile, pay
):
    first = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    second = book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=profile,
        starts_at=SLOT + datetime.timedelta(hours=2),
    )
    one = invoice_issue(payment_id=pay(first).pk)
    with time_machine.travel(datetime.datetime(2027, 4, 1, 0, 0, tzinfo=datetime.UTC)):
        # 05:30 on 1 April in India: the new financial year.
        two = invoice_issue(payment_id=pay(second).pk)

    assert [one.number, two.number] == ["MKR/26-27/00001", "MKR/27-28/00001"]


def test_an_issued_invoice_cannot_be_changed_or_deleted(gst, held, pay):
    invoice = invoice_issue(payment_id=pay(held).pk)
    invoice.total_paise = 1

    with pytest.raises(ValidationError):
        invoice.save()
    with pytest.raises(ValidationError):
        invoice.delete()
    assert Invoice.objects.get().total_paise == 199_900


def test_a_processed_refund_gets_a_credit_note_at_the_invoices_place_of_supply(
    gst, held, pay, task_queue
):
    buyer_details_save(booking=held, place_of_supply="27")
    payment = pay(held)
    invoice = invoice_issue(payment_id=payment.pk)
    refund = refund_request(payment=payment, amount_paise=100_000, reason="Staff: goodwill")
    task_queue.backend.clear()

    refund_record(
        info=RefundInfo(
            provider_ref="rfnd_Test0001",
            payment_ref=payment.payment_ref,
            amount_paise=100_000,
            currency="INR",
            status=RefundStatus.PROCESSED,
        ),
        refund=refund,
    )

    assert "credit_note_issue_task" in task_queue.names()
    note = credit_note_issue(refund_id=refund.pk)
    assert (note.number, note.invoice, note.total_paise) == ("MKC/26-27/00001", invoice, 100_000)
    assert (note.igst_paise, note.taxable_paise) == (15_254, 84_746)
    assert CreditNote.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="credit_note").count() == 1


def test_a_refund_not_yet_processed_gets_no_credit_note(gst, held, pay):
    payment = pay(held)
    invoice_issue(payment_id=payment.pk)
    refund = refund_request(payment=payment, amount_paise=100_000, reason="Staff")

    assert credit_note_issue(refund_id=refund.pk) is None
