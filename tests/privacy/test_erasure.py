import datetime
import pathlib

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount, SocialToken
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from mockri.accounts.models import Consent, User
from mockri.bookings.enums import BookingStatus, RefundDecision
from mockri.bookings.models import Booking, BookingEvent, FileAccess
from mockri.bookings.services import booking_confirm_payment
from mockri.catalogue.models import InterviewerProfile
from mockri.feedback.models import Feedback, Rating
from mockri.feedback.services import feedback_submit, rating_submit
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Payment, Refund
from mockri.preparation.models import CandidateProfile
from mockri.preparation.services import candidate_profile_update
from mockri.privacy.erasure import account_erase, account_erase_data, consent_withdraw
from mockri.privacy.models import Grievance
from mockri.privacy.tasks import retention_purge_task
from tests.factories import TEST_PASSWORD
from tests.fixtures import NOW, past_session

pytestmark = pytest.mark.django_db

MARKER = b"KAVYA-RESUME-7731"
RESUME = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + MARKER + b"\n%%EOF\n"
# Payment records are kept for accounting: these fields may still hold what they held.
PAYMENT_FIELDS = {
    ("payments.Payment", field)
    for field in ("order_ref", "payment_ref", "amount_paise", "captured_at", "created_at")
}


@pytest.fixture
def everything(data_everywhere, candidate, interviewer, staff, private_storage, book):
    """Kavya, with data in every app: bookings and files, a paid and confirmed session, an
    opened resume, emails, a grievance, a linked Google account with a profile image, a
    session in another browser and a staff edit in the admin's log."""
    data_everywhere["session"].files.get().file.save("x", ContentFile(RESUME))
    paid = booking_confirm_payment(data_everywhere["paid"])
    candidate.avatar.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\n" + MARKER))
    google = SocialAccount.objects.create(
        user=candidate,
        provider="google",
        uid="104800000000000000001",
        extra_data={"name": "Kavya Sharma", "email": "kavya@example.com"},
    )
    SocialToken.objects.create(account=google, token="ya29.token", app=None)
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(candidate.pk),
        object_repr=str(candidate),
        action_flag=CHANGE,
        change_message="Changed full_name for Kavya Sharma",
    )
    past = past_session(
        candidate=candidate,
        interviewer=data_everywhere["session"].interviewer,
        interview_type=data_everywhere["session"].interview_type,
        starts_at=NOW - datetime.timedelta(days=7),
    )
    feedback_submit(
        booking=past,
        interviewer=interviewer,
        scores={},
        hire_signal="yes",
        strengths="Kavya Sharma explained her trade-offs clearly.",
        areas_to_improve="Kavya should test the empty input first.",
        now=NOW,
    )
    rating_submit(booking=past, candidate=candidate, score=5, comment="Ananya Iyer was great.")
    Consent.objects.filter(user=candidate).update(ip_address="198.51.100.23")
    candidate_profile_update(
        user=candidate,
        target_role=None,
        level="senior",
        target_companies=[],
        interview_on=datetime.date(2026, 12, 20),
        now=NOW,
    )
    OutboxEmail.objects.update(status="sent")  # the worker sent them long ago
    return {**data_everywhere, "paid": paid}


def work(task_queue, capture):
    """Run the worker until nothing is due, tasks queued on commit included."""
    while task_queue.due():
        with capture(execute=True):
            task_queue.run_all()


def erase_now(user, *, task_queue, capture, by=None):
    """Delete the account, let the worker send the last emails, then erase."""
    with capture(execute=True):
        account_erase(user=user, requested_by=by or user, reason="At your request.", now=NOW)
    work(task_queue, capture)
    with time_machine.travel(NOW + datetime.timedelta(minutes=3)):
        work(task_queue, capture)


def traces_of(needles: list[str], *, allowed=frozenset()) -> list[str]:
    """Every (table, column) whose value contains one of `needles`, in every table."""
    found = []
    for model in apps.get_models():
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                value = str(field.value_from_object(row))
                if (model._meta.label, field.name) in allowed:
                    continue
                for needle in needles:
                    if needle.lower() in value.lower():
                        found.append(f"{model._meta.label}.{field.name} has {needle!r}")
    return found


def test_deleting_an_account_leaves_no_trace_but_the_payment_record(
    everything, candidate, task_queue, django_capture_on_commit_callbacks, private_storage
):
    """The test DPDP erasure is judged by: every column of every table, and the storage."""
    payment = everything["payment"]
    erase_now(candidate, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    assert (
        traces_of(
            [
                "Kavya",
                "Sharma",
                "kavya@example.com",
                MARKER.decode(),
                "104800000000000000001",  # her Google account
                "198.51.100.23",  # where she consented from
            ],
            allowed=PAYMENT_FIELDS,
        )
        == []
    )
    stored = [p for p in pathlib.Path(private_storage).rglob("*") if p.is_file()]
    assert [p for p in stored if MARKER in p.read_bytes()] == []
    kept = Payment.objects.get(pk=payment.pk)
    assert (kept.payment_ref, kept.amount_paise, kept.receipt.number) == (
        "pay_Kavya0001",
        199_900,
        payment.receipt.number,
    )
    assert not Feedback.objects.exists()  # about her: gone
    assert not CandidateProfile.objects.exists()  # the interview she prepared for: gone
    assert Rating.objects.get().score == 5  # hers: the score stays, de-identified
    erased = User.objects.get(pk=candidate.pk)
    assert erased.erased_at == NOW
    assert (erased.is_active, erased.has_usable_password()) == (False, False)


def test_upcoming_sessions_are_cancelled_under_the_refund_policy_and_both_sides_told(
    everything, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    erase_now(candidate, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    paid = Booking.objects.get(pk=everything["paid"].pk)
    assert paid.status == BookingStatus.CANCELLED
    assert paid.refund_decision == RefundDecision.FULL  # more than 24 h ahead
    assert Refund.objects.get(payment=everything["payment"]).amount_paise == 199_900
    told = {(m.to[0], m.subject) for m in mail.outbox}
    assert ("kavya@example.com", "Mockri: Your account has been deleted") in told
    assert any(to == interviewer.email and "cancelled" in s.lower() for to, s in told)


def test_the_confirmation_goes_to_the_address_before_it_is_erased(
    candidate, task_queue, django_capture_on_commit_callbacks, now
):
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=candidate, requested_by=candidate, reason="At your request.", now=NOW)
    (erasure,) = [r for r in task_queue.enqueued if r.task.name == "account_erase_task"]
    erasure.task.call(**erasure.kwargs)  # the worker reaches it before the email has gone
    assert User.objects.get(pk=candidate.pk).email == "kavya@example.com"  # it waits

    with time_machine.travel(NOW + datetime.timedelta(minutes=3)):
        work(task_queue, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["kavya@example.com"]]
    assert User.objects.get(pk=candidate.pk).email.endswith("@erased.invalid")


def test_an_email_that_cannot_be_sent_holds_the_erasure_back_for_an_hour_at_most(
    candidate, task_queue, django_capture_on_commit_callbacks, now
):
    account_erase(user=candidate, requested_by=candidate, reason="", now=NOW)  # never sent

    assert (
        account_erase_data(user_id=candidate.pk, now=NOW + datetime.timedelta(minutes=59)) is False
    )
    assert account_erase_data(user_id=candidate.pk, now=NOW + datetime.timedelta(minutes=61))
    assert User.objects.get(pk=candidate.pk).email.endswith("@erased.invalid")


def test_audit_rows_are_redacted_not_deleted(
    everything, candidate, task_queue, django_capture_on_commit_callbacks
):
    events = BookingEvent.objects.count()
    accesses = FileAccess.objects.count()

    erase_now(candidate, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    assert BookingEvent.objects.count() > events  # the cancellations were recorded too
    assert FileAccess.objects.count() == accesses
    entry = LogEntry.objects.get()
    assert (entry.object_repr, entry.change_message) == (f"user {candidate.pk}", "")
    grievance = Grievance.objects.get()
    assert (grievance.name, grievance.email, grievance.message) == ("[erased]", "", "")
    assert OutboxEmail.objects.filter(to_address="[erased]").exists()


def test_every_session_ends(candidate, client, task_queue, django_capture_on_commit_callbacks):
    client.post(reverse("account_login"), {"login": candidate.email, "password": TEST_PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert UserSession.objects.filter(user=candidate).exists()

    erase_now(candidate, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not UserSession.objects.exists()


def test_deleting_asks_for_the_password_first_and_shows_the_consequences(
    everything, candidate, client, reauthenticated
):
    client.force_login(candidate)
    page = client.get(reverse("privacy:account_delete"))
    refused = client.post(reverse("privacy:account_delete"), {"understood": "on"})

    assert b"refunded in full" in page.content
    assert b"Payment records stay" in page.content
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_deleting_needs_the_box_ticked(candidate, reauthenticated):
    client = reauthenticated(candidate)

    response = client.post(reverse("privacy:account_delete"), {})

    assert response.status_code == 422
    assert b"Tick the box" in response.content
    assert User.objects.get(pk=candidate.pk).erased_at is None


def test_deleting_through_the_page_signs_out_and_erases(
    candidate, reauthenticated, django_capture_on_commit_callbacks, task_queue
):
    client = reauthenticated(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:account_delete"), {"understood": "on"})

    assert b"Your account is deleted" in response.content
    assert "_auth_user_id" not in client.session
    assert "account_erase_task" in task_queue.names()


def test_withdrawing_consent_is_recorded_and_ends_the_account(
    candidate, reauthenticated, django_capture_on_commit_callbacks, task_queue
):
    Consent.objects.filter(user=candidate).update(ip_address="198.51.100.23")
    client = reauthenticated(candidate)
    page = client.get(reverse("privacy:consent_withdrawal"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:consent_withdrawal"), {"understood": "on"})
    work(task_queue, django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=3)):
        work(task_queue, django_capture_on_commit_callbacks)

    assert b"withdrawing your consent ends your account" in page.content
    (consent,) = Consent.objects.filter(user=candidate)
    assert consent.withdrawn_at is not None  # the log stays, with the withdrawal
    assert consent.ip_address is None  # but no longer where it was given from
    assert User.objects.get(pk=candidate.pk).email.endswith("@erased.invalid")


def test_an_interviewer_leaving_cancels_their_sessions_with_full_refunds(
    everything, interviewer, task_queue, django_capture_on_commit_callbacks
):
    erase_now(interviewer, task_queue=task_queue, capture=django_capture_on_commit_callbacks)

    paid = Booking.objects.get(pk=everything["paid"].pk)
    assert (paid.status, paid.refund_decision) == (BookingStatus.CANCELLED, RefundDecision.FULL)
    profile = InterviewerProfile.objects.get(user=interviewer)
    assert (profile.display_name, profile.is_listed, profile.past_roles) == (
        "Former interviewer",
        False,
        [],
    )
    assert traces_of(["Ananya", "Iyer", "Flipkart"]) == []


def test_deleting_twice_changes_nothing(candidate, django_capture_on_commit_callbacks, now):
    account_erase(user=candidate, requested_by=candidate, reason="", now=NOW)
    account_erase(user=candidate, requested_by=candidate, reason="", now=NOW)

    assert OutboxEmail.objects.filter(kind="account_erased").count() == 1


def test_consent_withdrawal_by_staff_for_a_written_request(candidate, staff, now):
    consent_withdraw(user=candidate, now=NOW, requested_by=staff, reason="GRV-1")

    assert Consent.objects.get(user=candidate).withdrawn_at == NOW
    assert User.objects.get(pk=candidate.pk).erased_at == NOW


def test_an_erasure_whose_task_was_lost_is_finished_by_the_purge_chain(candidate, task_queue, now):
    account_erase(user=candidate, requested_by=candidate, reason="", now=NOW)  # task never ran
    with time_machine.travel(NOW + datetime.timedelta(hours=2)):
        retention_purge_task.call()
        task_queue.run_all()

    assert User.objects.get(pk=candidate.pk).email.endswith("@erased.invalid")
