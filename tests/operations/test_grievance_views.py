"""Privacy requests and grievances in the console: the list, /console/grievances/, and a
request's page, /console/grievances/<reference>/, with its actions (answer; an export or an
erasure only for a request its account's owner provably made), each kept with who and why."""

import datetime

import pytest

from mockri.accounts.models import User
from mockri.notifications.models import OutboxEmail
from mockri.operations import selectors
from mockri.operations.models import StaffAction
from mockri.operations.personal_data import erase, export
from mockri.privacy.models import DataExport, Grievance, GrievanceKind, GrievanceStatus, Nominee
from mockri.privacy.services import grievance_submit
from tests.factories import UserFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
LIST = "/console/grievances/"


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


def page_of(grievance) -> str:
    return f"{LIST}{grievance.reference}/"


def grievance(reference, *, email="someone@example.com", kind=GrievanceKind.COMPLAINT,
              due_in=30 * DAY, status=GrievanceStatus.OPEN, user=None, verified=False):  # fmt: skip
    return Grievance.objects.create(
        reference=reference,
        user=user,
        name="Kavya",
        email=email,
        kind=kind,
        message="Please act on my data.",
        status=status,
        due_at=NOW + due_in,
        verified_at=NOW if verified else None,
    )


def from_owner(person, kind, reference="GRV-OWN"):
    """A request the account's owner sent while signed in: verified."""
    return grievance(reference, email=person.email, kind=kind, user=person, verified=True)


def references(response) -> list[str]:
    return [g.reference for g, _ in response.context["rows"]]


# --- Who may see them ----------------------------------------------------------------------


def test_people_who_are_not_staff_get_404_and_staff_without_two_factor_are_sent_to_set_it_up(
    client, candidate, staff
):
    request = grievance("GRV-AAA")
    client.force_login(candidate)
    assert client.get(LIST).status_code == 404
    assert client.get(page_of(request)).status_code == 404
    assert client.post(f"{page_of(request)}answer/", {"answer-reply": "Hi"}).status_code == 404

    client.force_login(staff)  # no authenticator yet
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/admin/" not in response["Location"]
    assert Grievance.objects.get().status == GrievanceStatus.OPEN


def test_an_unknown_reference_is_404(as_staff):
    assert as_staff.get(f"{LIST}GRV-NOPE00/").status_code == 404


# --- The list ------------------------------------------------------------------------------


def test_the_list_puts_open_requests_first_soonest_due_then_the_rest(as_staff):
    grievance("GRV-LATER", due_in=20 * DAY)
    grievance("GRV-DONE", due_in=1 * DAY, status=GrievanceStatus.ANSWERED)
    grievance("GRV-OVER", due_in=-2 * DAY)
    grievance("GRV-SOON", due_in=3 * DAY)

    response = as_staff.get(LIST)

    assert references(response) == ["GRV-OVER", "GRV-SOON", "GRV-LATER", "GRV-DONE"]
    urgency = dict((g.reference, u) for g, u in response.context["rows"])
    assert urgency == {"GRV-OVER": "overdue", "GRV-SOON": "due soon", "GRV-LATER": "",
                       "GRV-DONE": ""}  # fmt: skip
    page = response.content.decode()
    assert page.count("badge--danger") == 1
    assert page.count('<span class="badge badge--warning">Due soon</span>') == 1


def test_the_list_filters_by_status_kind_and_finds_by_reference_or_address(as_staff):
    grievance("GRV-AAA", email="kavya@example.com", kind=GrievanceKind.ACCESS, due_in=DAY)
    grievance("GRV-BBB", email="rahul@example.com", kind=GrievanceKind.ERASURE)
    grievance("GRV-CCC", email="rahul@example.com", status=GrievanceStatus.CLOSED)

    assert references(as_staff.get(f"{LIST}?status=closed")) == ["GRV-CCC"]
    assert references(as_staff.get(f"{LIST}?kind=erasure")) == ["GRV-BBB"]
    assert references(as_staff.get(f"{LIST}?q=grv-aaa")) == ["GRV-AAA"]
    assert references(as_staff.get(f"{LIST}?q=rahul@")) == ["GRV-BBB", "GRV-CCC"]
    assert references(as_staff.get(f"{LIST}?status=nonsense&kind=bogus")) == [
        "GRV-AAA", "GRV-BBB", "GRV-CCC",
    ]  # fmt: skip


def test_the_list_is_paginated(as_staff):
    for n in range(51):
        grievance(f"GRV-{n:03d}", due_in=(n + 1) * DAY)

    first, second = as_staff.get(LIST), as_staff.get(f"{LIST}?page=2")

    assert len(references(first)) == 50
    assert references(second) == ["GRV-050"]


# The session with its user, consent and two-factor checks, the breach banner, the session's save;
# the page's count and rows; the header's "needs attention" count.
LIST_QUERIES = 4 + 3 + 2 + len(selectors.ATTENTION_KINDS)


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_takes_the_same_queries_for_1_and_3_requests(
    as_staff, django_assert_num_queries, rows
):
    for n in range(rows):
        grievance(f"GRV-{n:03d}", user=UserFactory(), verified=True)

    with django_assert_num_queries(LIST_QUERIES):
        response = as_staff.get(LIST)

    assert len(response.context["rows"]) == rows


# --- A request's page ----------------------------------------------------------------------


def test_a_requests_page_shows_the_sender_the_account_and_the_time_left(as_staff, candidate):
    request = from_owner(candidate, GrievanceKind.ACCESS)
    request.due_at = NOW + 2 * DAY + datetime.timedelta(hours=5)
    request.save()

    page = as_staff.get(page_of(request)).content.decode()

    assert "Kavya &lt;kavya@example.com&gt;" in page
    assert f'href="/console/people/{candidate.pk}/">Kavya Sharma</a>' in page
    assert "the request is <strong>confirmed by the account's owner</strong>" in page
    assert "Thu 3 Dec 2026, 2:00 pm IST" in page  # 08:30 UTC, in the operator's zone
    assert "2\xa0days, 5\xa0hours left" in page
    assert "Due soon" in page


def test_a_request_from_an_address_without_an_account_says_so(as_staff):
    request = grievance("GRV-ANON", kind=GrievanceKind.ERASURE, email="nobody@example.com")

    page = as_staff.get(page_of(request)).content.decode()

    assert "No account is registered with this address." in page
    assert "Delete the account" not in page


def test_the_page_shows_the_emails_about_the_request(as_staff, candidate, other_candidate):
    request = grievance_submit(
        user=None, name="Kavya", email=candidate.email, kind=GrievanceKind.ACCESS,
        message="A copy please.", now=NOW,
    )  # fmt: skip
    grievance_submit(
        user=None, name="Rahul", email=other_candidate.email, kind=GrievanceKind.ACCESS,
        message="Mine too.", now=NOW,
    )  # fmt: skip

    emails = as_staff.get(page_of(request)).context["story"].emails

    assert sorted(e.kind for e in emails) == ["grievance_confirm", "grievance_received"]
    assert {e.to_address for e in emails} == {"kavya@example.com"}


def test_a_request_from_someones_nominee_names_who_nominated_them(as_staff, candidate):
    Nominee.objects.create(
        user=candidate, name="Asha", email="asha@example.com", relationship="sister"
    )
    request = grievance("GRV-NOM", email="Asha@example.com", kind=GrievanceKind.ERASURE)

    page = as_staff.get(page_of(request)).content.decode()

    assert (
        f'<a href="/console/people/{candidate.pk}/">Kavya Sharma</a> (named them as sister' in page
    )


# --- Answering -----------------------------------------------------------------------------


def test_staff_answer_a_request_the_reply_is_emailed_and_kept_in_the_history(
    as_staff, staff, candidate
):
    request = from_owner(candidate, GrievanceKind.CORRECTION)

    response = as_staff.post(
        f"{page_of(request)}answer/",
        {"answer-reply": "We corrected your name.", "answer-status": "answered"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reply) == ("answered", "We corrected your name.")
    sent = OutboxEmail.objects.get(kind="grievance_answered")
    assert (sent.to_address, sent.dedupe_key.split(":")[1]) == ("kavya@example.com", "GRV-OWN")
    action = StaffAction.objects.get()
    assert (action.grievance, action.person, action.staff, action.action) == (
        request, candidate, staff, "request_answered",
    )  # fmt: skip
    assert action.reason == "GRV-OWN: reply emailed; answered"
    page = as_staff.get(page_of(request)).content.decode()
    assert "Request answered</strong> by Mockri Staff" in page
    assert "We corrected your name." in page
    # The person's page shows it too.
    assert "Request answered" in as_staff.get(f"/console/people/{candidate.pk}/").content.decode()


def test_closing_with_the_same_reply_sends_nothing_new_and_stamps_the_closing(as_staff):
    request = grievance("GRV-ANS")
    answer = {"answer-reply": "Done.", "answer-status": "answered"}
    as_staff.post(f"{page_of(request)}answer/", answer)

    as_staff.post(f"{page_of(request)}answer/", {**answer, "answer-status": "closed"})

    request.refresh_from_db()
    assert (request.status, request.closed_at) == ("closed", NOW)
    assert OutboxEmail.objects.filter(kind="grievance_answered").count() == 1
    assert [a.action for a in StaffAction.objects.order_by("pk")] == [
        "request_answered", "request_closed",
    ]  # fmt: skip
    assert StaffAction.objects.order_by("pk").last().person is None  # no account to show it on


def test_an_answer_needs_words(as_staff):
    request = grievance("GRV-ANS")

    response = as_staff.post(
        f"{page_of(request)}answer/", {"answer-reply": "  ", "answer-status": "answered"}
    )

    assert response.status_code == 422
    assert "Write the answer: it is emailed to them." in response.content.decode()
    assert Grievance.objects.get().status == GrievanceStatus.OPEN
    assert not StaffAction.objects.exists()


# --- Export and erasure --------------------------------------------------------------------


def test_staff_start_an_export_for_an_access_request_its_owner_made(
    as_staff, staff, candidate, task_queue
):
    request = from_owner(candidate, GrievanceKind.ACCESS)

    response = as_staff.post(f"{page_of(request)}export/", {"export-reason": "Identity checked"})

    assert response.status_code == 302
    assert DataExport.objects.get(user=candidate).requested_by == staff
    assert "data_export_build_task" in task_queue.names()
    action = StaffAction.objects.get()
    assert (action.grievance, action.person, action.action, action.reason) == (
        request, candidate, "export_started", "GRV-OWN: Identity checked",
    )  # fmt: skip
    assert (
        "Export started</strong> by Mockri Staff" in as_staff.get(page_of(request)).content.decode()
    )


def test_an_unconfirmed_request_is_refused_with_the_admins_words(as_staff, candidate):
    # Anyone can type the address into the form: the owner has not confirmed it.
    request = grievance_submit(
        user=None, name="Kavya", email=candidate.email, kind=GrievanceKind.ERASURE,
        message="Delete me.", now=NOW,
    )  # fmt: skip
    page = as_staff.get(page_of(request)).content.decode()
    assert "Delete the account" not in page
    assert "<strong>not confirmed by the account's owner</strong>" in page

    response = as_staff.post(f"{page_of(request)}erasure/", {"erasure-reason": "Asked"})

    assert response.status_code == 422
    assert (
        f"{request.reference}: not confirmed by the account&#x27;s owner: nothing done."
        in response.content.decode()
    )
    assert User.objects.get(pk=candidate.pk).erased_at is None
    assert not StaffAction.objects.exists()


def test_an_export_is_not_started_for_a_request_of_another_kind(as_staff, candidate):
    request = from_owner(candidate, GrievanceKind.ERASURE)

    response = as_staff.post(f"{page_of(request)}export/", {"export-reason": "x"})

    assert response.status_code == 422
    assert "GRV-OWN: not a request of this kind: nothing done." in response.content.decode()
    assert not DataExport.objects.exists()


def test_staff_delete_the_account_of_an_owner_who_withdrew_consent(
    as_staff, staff, candidate, task_queue
):
    request = from_owner(candidate, GrievanceKind.WITHDRAW_CONSENT)

    response = as_staff.post(f"{page_of(request)}erasure/", {"erasure-reason": "In writing"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.erased_at == NOW
    assert candidate.consents.filter(withdrawn_at__isnull=True).count() == 0
    assert "account_erase_task" in task_queue.names()
    action = StaffAction.objects.get()
    assert (action.grievance, action.person, action.action) == (
        request, candidate, "erasure_started",
    )  # fmt: skip
    assert "The account is deleted." in as_staff.get(page_of(request)).content.decode()


def test_an_action_needs_a_note(as_staff, candidate):
    request = from_owner(candidate, GrievanceKind.ACCESS)

    response = as_staff.post(f"{page_of(request)}export/", {"export-reason": ""})

    assert response.status_code == 422
    assert not DataExport.objects.exists()


# --- The queue -----------------------------------------------------------------------------


def test_the_attention_queue_links_to_the_requests_console_page(now):
    grievance("GRV-DUE", due_in=2 * DAY)

    [item] = selectors.attention_grievances(now=now)

    assert item.url == "/console/grievances/GRV-DUE/"


def test_the_console_navigation_lists_the_requests(as_staff):
    page = as_staff.get("/console/").content.decode()

    assert f'href="{LIST}">Privacy requests</a>' in page


def test_erasing_an_account_redacts_the_notes_on_requests_sent_from_its_address(
    as_staff, candidate
):
    request = grievance("GRV-ANON", email="Kavya@example.com")  # sent before signing in
    as_staff.post(f"{page_of(request)}answer/", {"answer-reply": "Hi", "answer-status": "closed"})

    assert [row["action"] for row in export(user=candidate, archive=None)[
        "staff_actions_about_you"]] == ["request_closed"]  # fmt: skip
    erase(user=candidate, now=NOW)

    assert StaffAction.objects.get().reason == ""
