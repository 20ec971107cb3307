import datetime

import pytest
from django.core import mail
from django.urls import reverse

from mockri.interviewers.enums import ApplicationStatus
from mockri.interviewers.models import Invitation
from mockri.interviewers.services import application_accept, application_decline
from mockri.lib.errors import PolicyViolation
from mockri.lib.tokens import token_digest
from mockri.operations.selectors import ATTENTION_KINDS
from tests.fixtures import NOW, emails_sent

pytestmark = pytest.mark.django_db
QUEUE = reverse("interviewers:queue")


@pytest.fixture
def as_staff(client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


def decide_url(application):
    return reverse("interviewers:application_decide", args=[application.pk])


def test_staff_accept_and_the_applicant_gets_a_one_time_link(as_staff, staff, pending, settings):
    settings.INTERVIEWER_INVITATION_DAYS = 7

    with emails_sent():
        response = as_staff.post(
            decide_url(pending), {"decision": "accept", "reason": "Strong system design."}
        )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decision_reason, pending.decided_by, pending.decided_at) == (
        ApplicationStatus.ACCEPTED,
        "Strong system design.",
        staff,
        NOW,
    )
    invitation = Invitation.objects.get()
    assert invitation.expires_at == NOW + datetime.timedelta(days=7)
    (email,) = [m for m in mail.outbox if "invited" in m.subject]
    assert email.to == ["meera@example.com"]
    assert email.subject == "Mockri: You are invited to interview on Mockri"
    assert "Strong system design." in email.body
    link = next(line for line in email.body.splitlines() if "/invitation/" in line)
    token = link.rsplit("/", 2)[-2]
    # Only the digest is stored: the token itself is in the email alone.
    assert invitation.token_sha256 == token_digest(token)
    assert token not in invitation.token_sha256


def test_staff_decline_with_a_reason_that_the_applicant_reads(as_staff, pending, settings):
    settings.INTERVIEWER_APPLICATION_RETENTION_DAYS = 180

    with emails_sent():
        as_staff.post(decide_url(pending), {"decision": "decline", "reason": "Too few years."})

    pending.refresh_from_db()
    assert (pending.status, pending.decision_reason) == ("declined", "Too few years.")
    assert not Invitation.objects.exists()
    (email,) = [m for m in mail.outbox if m.subject.startswith("Mockri: About")]
    assert email.subject == "Mockri: About your application to interview on Mockri"
    assert "Too few years." in email.body and "180 days" in email.body


def test_a_decision_needs_a_reason(as_staff, pending):
    response = as_staff.post(decide_url(pending), {"decision": "decline", "reason": ""})

    assert response.status_code == 422
    assert "Give the reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING


def test_an_application_is_decided_once(as_staff, staff, pending):
    application_decline(application=pending, reason="No.", staff=staff, now=NOW)

    with pytest.raises(PolicyViolation):
        application_accept(application=pending, reason="Yes.", staff=staff, now=NOW)
    response = as_staff.post(decide_url(pending), {"decision": "accept", "reason": "Yes."})

    assert response.status_code == 422
    assert "already decided" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_keep_notes_that_the_applicant_never_sees(as_staff, pending):
    url = reverse("interviewers:application_notes", args=[pending.pk])

    as_staff.post(url, {"staff_notes": "Called on 1 Dec: sharp."})

    pending.refresh_from_db()
    assert pending.staff_notes == "Called on 1 Dec: sharp."
    page = as_staff.get(reverse("interviewers:application", args=[pending.pk])).content.decode()
    assert "Called on 1 Dec: sharp." in page


def test_the_queue_sorts_newest_or_oldest_first_and_filters_by_type(
    as_staff, apply_as, system_design, coding, now, time_machine
):
    first = apply_as(email="first@example.com", interview_types=[system_design])
    time_machine.move_to(NOW + datetime.timedelta(hours=1))
    second = apply_as(email="second@example.com", interview_types=[coding])
    second.updated_at = NOW + datetime.timedelta(hours=1)
    second.save()

    def names(query):
        return [a.email for a in as_staff.get(QUEUE + query).context["applications"]]

    assert names("") == [second.email, first.email]
    assert names("?order=oldest") == [first.email, second.email]
    assert names(f"?type={coding.pk}") == [second.email]
    assert names("?order=nonsense&type=999") == [second.email, first.email]


def test_the_queue_shows_decided_applications_by_status(as_staff, staff, pending, apply_as):
    other = apply_as(email="other@example.com")
    application_decline(application=other, reason="No.", staff=staff, now=NOW)

    assert list(as_staff.get(QUEUE).context["applications"]) == [pending]
    assert list(as_staff.get(QUEUE + "?status=declined").context["applications"]) == [other]


@pytest.mark.parametrize("count", [1, 3])
def test_the_queue_takes_a_fixed_number_of_queries(
    as_staff, apply_as, system_design, count, django_assert_num_queries
):
    for n in range(count):
        apply_as(email=f"person{n}@example.com", interview_types=[system_design])

    # The same at 1 and 3: the page's own (the session with its user, consent, two-factor,
    # notices) plus the type filter's choices, the applications and, in one query, their types;
    # the console's navigation counts what needs attention.
    with django_assert_num_queries(10 + len(ATTENTION_KINDS)):
        response = as_staff.get(QUEUE)

    assert len(response.context["applications"]) == count


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404(client, request, pending, two_factor, who):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    for url in (
        QUEUE,
        reverse("interviewers:application", args=[pending.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(decide_url(pending), {"decision": "accept", "reason": "x"}).status_code == 404
    )
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING


def test_visitors_are_sent_to_sign_in(client, pending):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_two_factor_are_sent_to_set_it_up_first(client, staff, pending):
    client.force_login(staff)

    response = client.get(reverse("interviewers:application", args=[pending.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


def test_an_unknown_application_is_404_for_staff(as_staff, db):
    assert as_staff.get(reverse("interviewers:application", args=[999])).status_code == 404
