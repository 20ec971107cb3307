"""What people type (names, cancellation reasons, grievance details) reaches emails as plain
text: never a link, never a line break in a subject or a header, and not at all to an address
nobody proved is theirs."""

import pytest
from django.core import mail
from django.urls import reverse

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import booking_announce_emails, email_queue
from mockri.notifications.tasks import outbox_send_task
from mockri.privacy.models import Grievance
from mockri.privacy.services import grievance_submit
from tests.fixtures import NOW, emails_sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]
EVIL = "Bob http://evil.example\nhttps://x"
SITE = "http://127.0.0.1:8000"


def assert_no_link_to_typed_text(email: OutboxEmail) -> None:
    assert 'href="http://evil.example' not in email.html_body
    assert 'href="https://x' not in email.html_body


@pytest.fixture
def booked(candidate, free_type, profile, book, settings):
    settings.SITE_URL = SITE
    candidate.full_name = EVIL  # as it may have been stored before names were cleaned
    candidate.save()
    return book(candidate=candidate, interview_type=free_type, interviewer=profile)


def test_an_anonymous_grievance_acknowledgement_repeats_none_of_the_typed_words(settings):
    settings.SITE_URL = SITE
    grievance_submit(
        user=None,
        name=EVIL,
        email="stranger@example.com",
        kind="complaint",
        message="http://evil.example/login",
        now=NOW,
    )

    ack = OutboxEmail.objects.get(kind="grievance_received")
    assert ack.text_body.startswith("Hello,\n")
    assert "evil.example" not in ack.text_body + ack.html_body
    assert "https://x" not in ack.text_body + ack.html_body


def test_a_signed_in_grievance_acknowledgement_shows_the_name_as_text(client, candidate):
    client.force_login(candidate)

    client.post(
        reverse("privacy:grievance"),
        {"name": EVIL + "\x07", "email": candidate.email, "kind": "complaint", "message": "Hi"},
    )

    assert Grievance.objects.get().name == "Bob http://evil.example https://x"
    ack = OutboxEmail.objects.get(kind="grievance_received")
    assert ack.text_body.startswith("Hi Bob http://evil.example https://x,\n")
    assert_no_link_to_typed_text(ack)


def test_the_profile_name_drops_line_breaks_and_control_characters(client, candidate):
    client.force_login(candidate)

    client.post(
        reverse("accounts:profile"),
        {"full_name": "Bob\r\nBcc: x@evil.example\x07\x1b", "timezone": "Asia/Kolkata"},
    )

    candidate.refresh_from_db()
    assert candidate.full_name == "Bob Bcc: x@evil.example"


def test_the_interviewer_emails_show_the_candidate_name_as_text_and_link_only_ours(
    booked, interviewer
):
    booking_announce_emails(booking_id=booked.pk)

    assigned = OutboxEmail.objects.get(kind="session_assigned")
    assert assigned.recipient == interviewer
    assert "Bob http://evil.example" in assigned.text_body
    assert_no_link_to_typed_text(assigned)
    page = f"{SITE}{booked.get_absolute_url()}"
    assert f'<a href="{page}">{page}</a>' in assigned.html_body


def test_the_meeting_link_we_were_given_is_a_link(booked, interviewer):
    email = email_queue(
        "meeting_link",
        recipient=interviewer,
        booking=booked,
        dedupe_key="test",
        context={"meeting_url": "https://meet.jit.si/mockri-abc"},
    )

    assert '<a href="https://meet.jit.si/mockri-abc">' in email.html_body
    assert_no_link_to_typed_text(email)


def test_a_subject_with_the_candidate_name_stays_one_header_line(booked, interviewer):
    email = email_queue(
        "feedback_request", recipient=interviewer, booking=booked, dedupe_key="t", context={}
    )

    assert (
        email.subject
        == "Mockri: Feedback for Bob http://evil.example https://x: Career chat on Wed 2 Dec"
    )
    outbox_send_task.call(email_id=email.pk)
    (message,) = mail.outbox
    headers = message.message()
    assert headers["Subject"] == email.subject
    assert headers.get_all("Subject") == [email.subject]


def test_a_cancellation_reason_is_text_in_both_emails(
    booked, candidate, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(
            booked,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            reason="Log in at http://evil.example\nhttps://x",
            now=NOW,
        )
    while task_queue.due(excluding=("outbox_send_task", "reminder_send_task")):
        with django_capture_on_commit_callbacks(execute=True):
            task_queue.run_all_except("outbox_send_task", "reminder_send_task")

    emails = OutboxEmail.objects.filter(kind="booking_cancelled")
    assert emails.count() == 2
    for email in emails:
        assert "Reason: Log in at http://evil.example" in email.text_body
        assert_no_link_to_typed_text(email)


def test_a_signup_confirmation_still_links_the_link_allauth_made(client):
    with emails_sent():
        client.post(
            reverse("account_signup"),
            {
                "full_name": EVIL,
                "email": "kavya@example.com",
                "password1": "a long enough passphrase 42",
                "is_adult": "on",
                "accepts_privacy_policy": "on",
                "timezone": "Asia/Kolkata",
            },
        )

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert '<a href="http://testserver/accounts/confirm-email/' in html
    assert 'href="http://evil.example' not in html
