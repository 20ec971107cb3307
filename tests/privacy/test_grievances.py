import datetime

import pytest
from django.core import mail
from django.urls import reverse

from mockri.notifications.models import OutboxEmail
from mockri.privacy.models import Grievance
from mockri.privacy.services import grievance_submit
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
URL = reverse("privacy:grievance")
FORM = {
    "name": "Kavya Sharma",
    "email": "kavya@example.com",
    "kind": "access",
    "message": "Please send me a copy of my data.",
}


def test_a_visitor_files_a_request_and_gets_a_reference_a_due_date_and_an_email(
    client, now, settings, task_queue, django_capture_on_commit_callbacks
):
    settings.GRIEVANCE_RESPONSE_DAYS = 30

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, FORM)
    task_queue.run_all()

    ticket = Grievance.objects.get()
    assert ticket.reference.startswith("GRV-")
    assert ticket.due_at == NOW + datetime.timedelta(days=30)
    assert ticket.reference in response.content.decode()
    (ack,) = mail.outbox
    assert ack.to == ["kavya@example.com"]
    assert ticket.reference in ack.subject and "Ramees PP" in ack.body


def test_a_signed_in_user_files_it_under_their_account(client, candidate, now):
    client.force_login(candidate)

    client.post(URL, {**FORM, "email": candidate.email})

    assert Grievance.objects.get().user == candidate


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, now):
    response = client.post(URL, {**FORM, "website": "http://spam.example"})

    assert response.status_code == 200
    assert not Grievance.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_an_empty_message_is_a_clear_error(client, now):
    response = client.post(URL, {**FORM, "message": "   "})

    assert response.status_code == 422
    assert "Please tell us what it is about" in response.content.decode()
    assert not Grievance.objects.exists()


def test_too_many_submissions_from_one_place_get_429(client, now, shared_cache):
    statuses = [client.post(URL, FORM).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    assert Grievance.objects.count() == 5


def test_the_contact_page_leads_to_the_form(client):
    assert URL in client.get(reverse("pages:contact")).content.decode()


def test_staff_answer_in_the_admin_and_the_person_gets_the_reply_once(
    client, candidate, staff, two_factor, now, task_queue, django_capture_on_commit_callbacks
):
    ticket = grievance_submit(
        user=candidate,
        name="Kavya",
        email=candidate.email,
        kind="correction",
        message="My name is misspelt.",
        now=NOW,
    )
    staff.is_superuser = True  # as the operator's staff accounts are (see seed_demo)
    staff.save()
    two_factor(staff)
    client.force_login(staff)
    url = reverse("admin:privacy_grievance_change", args=[ticket.pk])
    answer = {"status": "answered", "reply": "Fixed: it now reads Kavya Sharma."}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, answer)
        client.post(url, answer)  # saved again unchanged: no second email
    task_queue.run_all()

    ticket.refresh_from_db()
    assert (ticket.status, ticket.reply) == ("answered", answer["reply"])
    (reply,) = [m for m in mail.outbox if "answer" in m.subject]
    assert reply.subject == f"Mockri: Our answer to {ticket.reference}"
    assert "Fixed: it now reads Kavya Sharma." in reply.body
    # How to escalate (DPDP Act s.13(3)): this channel first, then the Board.
    assert "Data Protection Board of India" in reply.body


def test_a_user_sees_their_requests_on_their_profile(client, candidate, now):
    ticket = grievance_submit(
        user=candidate,
        name="Kavya",
        email=candidate.email,
        kind="access",
        message="A copy, please.",
        now=NOW,
    )
    client.force_login(candidate)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert ticket.reference in page


def test_the_data_page_lists_what_is_held_and_who_received_it(
    client, now, candidate, free_type, profile, book
):
    book(candidate=candidate, interview_type=free_type, interviewer=profile)
    client.force_login(candidate)

    page = client.get(reverse("privacy:my_data")).content.decode()

    for text in [
        candidate.email,
        "1 booking",
        "1 job description and resume file",
        profile.display_name,
        "Razorpay",
        "Resend",
    ]:
        assert text in page, text


def test_the_data_page_needs_a_signed_in_user(client):
    response = client.get(reverse("privacy:my_data"))

    assert response.status_code == 302
