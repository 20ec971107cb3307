import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from mockri.bookings.models import Booking, BookingEvent, BookingFile
from mockri.bookings.services import booking_expire_hold
from mockri.feedback.models import Rating
from mockri.feedback.services import feedback_submit
from mockri.lib.errors import DomainError
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Payment
from mockri.privacy.context_processors import breach_banner
from mockri.privacy.models import BreachIncident, BreachNotice, Grievance, PurgeLog
from mockri.privacy.selectors import breach_affected_users
from mockri.privacy.services import (
    breach_incident_create,
    breach_notice_acknowledge,
    breach_notify,
)
from tests.factories import UserFactory
from tests.fixtures import NOW, SLOT, past_session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# The breach window used throughout: the day before NOW.
START, END = NOW - DAY, NOW
BEFORE, DURING, AFTER = START - DAY, START + HOUR, END + HOUR

TEXTS = {
    "description": "A copy of the bookings table was readable at a public address.",
    "consequences": "Someone may know when you booked a mock interview and with whom.",
    "mitigation": "We removed the copy within an hour and rotated every credential.",
    "user_steps": "Be wary of emails that mention your session and ask for payment.",
}


def affected(*kinds, start=START, end=END) -> set[str]:
    users = breach_affected_users(window_start=start, window_end=end, kinds=kinds)
    return {user.full_name for user in users}


def person(name, *, joined=BEFORE, **fields):
    return UserFactory(full_name=name, date_joined=joined, **fields)


def incident_for(*kinds, start=START, end=END, **texts):
    return breach_incident_create(
        window_start=start,
        window_end=end,
        discovered_at=END + HOUR,
        data_kinds=list(kinds),
        created_by=None,
        **{**TEXTS, **texts},
    )


def made_at(booking, when):
    Booking.objects.filter(pk=booking.pk).update(created_at=when)
    return booking


@pytest.fixture
def session_for(now, free_type, profile, book):
    """A free session for a new person, made at `made`. The interviewer joined long before."""
    type(profile.user).objects.filter(pk=profile.user_id).update(date_joined=BEFORE - 30 * DAY)
    days = iter(range(8))  # one session a day, within the interviewer's daily limit

    def make(name, *, made=DURING, joined=BEFORE, **extra):
        booking = book(
            candidate=person(name, joined=joined),
            interview_type=free_type,
            interviewer=profile,
            starts_at=SLOT + next(days) * DAY,
            **extra,
        )
        return made_at(booking, made)

    return make


# --- Who was affected --------------------------------------------------------------------------


def test_account_data_affects_everyone_who_had_an_account_during_the_window():
    person("Joined before")
    person("Joined during", joined=DURING)
    person("Joined after", joined=AFTER)
    person("Erased before", erased_at=BEFORE)
    person("Erased during", erased_at=DURING)
    person("Erased after", erased_at=AFTER)

    assert affected("account") == {
        "Joined before",
        "Joined during",
        "Erased during",  # included, though they can no longer be told
        "Erased after",
    }


def test_booking_details_affect_the_candidate_and_the_interviewer_of_bookings_made_before_the_end(
    session_for, interviewer
):
    session_for("Booked before", made=BEFORE)
    session_for("Booked during", made=DURING)
    session_for("Booked after", made=AFTER)
    person("Never booked")

    assert affected("bookings") == {"Booked before", "Booked during", interviewer.full_name}
    assert affected("bookings", start=AFTER + HOUR, end=AFTER + DAY) == {
        "Booked before",
        "Booked during",
        "Booked after",
        interviewer.full_name,
    }


def test_files_affect_candidates_whose_resume_or_job_description_was_held_in_the_window(
    session_for,
):
    session_for("Held now", made=BEFORE, job_description_text="")
    session_for("Uploaded after", made=AFTER, job_description_text="")
    purged_before = session_for("Purged before", made=BEFORE - DAY, job_description_text="")
    purged_during = session_for("Purged during", made=BEFORE, job_description_text="")
    pasted = session_for("Pasted text kept", made=BEFORE - DAY)
    for booking, when in [(purged_before, BEFORE), (purged_during, DURING), (pasted, BEFORE)]:
        BookingFile.objects.filter(booking=booking).delete()
        PurgeLog.objects.create(what="files", count=1, detail=f"MK-OTHER12, {booking.reference}")
        PurgeLog.objects.filter(detail__contains=booking.reference).update(ran_at=when)

    assert affected("files") == {"Held now", "Purged during", "Pasted text kept"}


def test_files_of_a_hold_that_expired_before_the_window_are_not_affected(
    now, paid_type, profile, book
):
    def expired_hold(name, *, expired_at, starts_at):
        booking = book(
            candidate=person(name),
            interview_type=paid_type,
            interviewer=profile,
            starts_at=starts_at,
            job_description_text="",
        )
        made_at(booking, BEFORE - DAY)
        booking_expire_hold(booking_id=booking.pk, now=NOW + DAY)
        BookingEvent.objects.filter(booking=booking, action="expired").update(at=expired_at)
        return booking

    expired_hold("Expired before", expired_at=BEFORE, starts_at=SLOT)
    expired_hold("Expired during", expired_at=DURING, starts_at=SLOT + HOUR)

    assert not BookingFile.objects.exists()
    assert affected("files") == {"Expired during"}


def test_a_person_who_erased_their_account_since_is_affected_but_one_erased_before_is_not(
    session_for,
):
    since = session_for("Erased since", made=BEFORE, job_description_text="")
    before = session_for("Erased before", made=BEFORE - DAY, job_description_text="")
    for booking, when in [(since, DURING), (before, BEFORE)]:
        BookingFile.objects.filter(booking=booking).delete()  # as erasure does
        type(booking.candidate).objects.filter(pk=booking.candidate_id).update(erased_at=when)

    assert affected("files") == {"Erased since"}
    assert affected("bookings") - {"Erased since", "Erased before"} == {
        booking.interviewer.user.full_name
    }


def test_payments_affect_candidates_with_a_payment_made_before_the_end(session_for):
    for name, when in [("Paid before", BEFORE), ("Paid after", AFTER)]:
        booking = session_for(name, made=BEFORE)
        Payment.objects.create(
            booking=booking, gateway="test", order_ref=f"order_{name}", amount_paise=199_900
        )
        Payment.objects.filter(booking=booking).update(created_at=when)

    assert affected("payments") == {"Paid before"}


def test_emails_affect_their_recipients_when_queued_before_the_end():
    for name, when in [("Emailed before", BEFORE), ("Emailed after", AFTER)]:
        OutboxEmail.objects.create(
            kind="test", recipient=person(name), to_address="x@example.com", dedupe_key=name
        )
        OutboxEmail.objects.filter(dedupe_key=name).update(created_at=when)

    assert affected("emails") == {"Emailed before"}


def test_requests_affect_people_who_filed_one_from_their_account_before_the_end():
    for name, when in [("Asked before", BEFORE), ("Asked after", AFTER)]:
        Grievance.objects.create(
            reference=f"GRV-{name[-5:].upper()}",
            user=person(name),
            name=name,
            email="x@example.com",
            kind="access",
            message="A copy please.",
            due_at=NOW + 30 * DAY,
        )
        Grievance.objects.filter(name=name).update(created_at=when)

    assert affected("requests") == {"Asked before"}


def test_several_kinds_affect_anyone_any_of_them_affects(session_for):
    session_for("Booked during")
    person("Only an account")

    assert affected("bookings", "emails") == affected("bookings")
    assert affected("bookings", "account") == affected("account")
    assert "Only an account" in affected("account")


@pytest.mark.parametrize(
    ("kinds", "start", "end", "message"),
    [
        (["photos"], START, END, "Unknown kinds of data: photos."),
        ([], START, END, "Name at least one kind of data."),
        (["account"], END, START, "The window must end after it starts."),
    ],
)
def test_bad_questions_are_clear_errors(kinds, start, end, message):
    with pytest.raises(ValueError, match=message):
        breach_affected_users(window_start=start, window_end=end, kinds=kinds)


# --- Telling them ------------------------------------------------------------------------------


@pytest.fixture
def cast(now):
    return {
        "kavya": person("Kavya Sharma", email="kavya@example.com", timezone="Asia/Kolkata"),
        "sarah": person("Sarah Collins", email="sarah@example.com", timezone="Europe/London"),
        "bounced": person("Bounced Person", email_bounced_at=BEFORE),
        "erased": person("Erased Since", erased_at=DURING),
        "later": person("Joined Later", joined=AFTER),
    }


def test_everyone_affected_gets_one_notice_and_one_email(
    cast, task_queue, django_capture_on_commit_callbacks
):
    incident = incident_for("account")

    with django_capture_on_commit_callbacks(execute=True):
        counts = breach_notify(incident=incident, now=NOW)
    task_queue.run_all()

    assert counts == {
        "affected": 4,
        "notified": 3,
        "emailed": 2,
        "email_suppressed": 1,
        "already_notified": 0,
        "erased": 1,
    }
    notices = BreachNotice.objects.filter(incident=incident)
    told = {notice.user.full_name for notice in notices}
    assert told == {"Kavya Sharma", "Sarah Collins", "Bounced Person"}
    assert {n.sent_at for n in notices} == {NOW}
    assert notices.get(user=cast["bounced"]).email is None
    assert sorted(m.to[0] for m in mail.outbox) == ["kavya@example.com", "sarah@example.com"]
    incident.refresh_from_db()
    assert incident.notified_at == NOW


def test_running_it_again_notifies_nobody_twice(cast, task_queue):
    incident = incident_for("account")
    breach_notify(incident=incident, now=NOW)

    counts = breach_notify(incident=incident, now=NOW + HOUR)

    assert (counts["notified"], counts["already_notified"]) == (0, 3)
    assert BreachNotice.objects.count() == 3
    assert OutboxEmail.objects.filter(kind="breach_notice").count() == 2
    incident.refresh_from_db()
    assert incident.notified_at == NOW


def test_a_person_affected_later_in_a_rerun_is_told_then(cast):
    incident = incident_for("account")
    breach_notify(incident=incident, now=NOW)
    newcomer = person("Restored From Backup")

    counts = breach_notify(incident=incident, now=NOW + HOUR)

    assert counts["notified"] == 1
    assert BreachNotice.objects.get(user=newcomer).sent_at == NOW + HOUR


def test_the_email_says_what_the_rules_require_in_the_persons_time_zone(cast):
    incident = incident_for("account", "files")

    breach_notify(incident=incident, now=NOW)

    notice = BreachNotice.objects.get(user=cast["sarah"])
    email = OutboxEmail.objects.get(recipient=cast["sarah"])
    assert email.kind == "breach_notice"
    assert email.dedupe_key == f"breach_notice:{incident.pk}:{cast['sarah'].pk}"
    assert email.subject == f"Mockri: A security incident involved your data ({incident.reference})"
    for text in [
        *TEXTS.values(),  # nature and extent, consequences, mitigation, what to do
        "from 30 November 2026, 3:30 am GMT to 1 December 2026, 3:30 am GMT",  # timing
        "Account details (name, email address, time zone, profile image); Resumes and job "
        "descriptions",
        "Ramees PP, our grievance officer",  # whom to contact
        "hello@mockri.com",
        f"/privacy/notices/{notice.pk}/",
    ]:
        assert text in email.text_body, text


def test_creating_the_same_incident_twice_is_refused():
    incident = incident_for("account")

    with pytest.raises(DomainError, match=f"Incident {incident.reference} already covers"):
        incident_for("account")


# --- In the app --------------------------------------------------------------------------------


@pytest.fixture
def notice(cast):
    breach_notify(incident=incident_for("account"), now=NOW)
    return BreachNotice.objects.get(user=cast["kavya"])


@pytest.mark.parametrize("page", ["pages:home", "bookings:list"])
def test_a_person_with_an_unread_notice_sees_a_banner_on_every_page(client, notice, page):
    client.force_login(notice.user)

    html = client.get(reverse(page)).content.decode()

    assert "A security incident involved your data" in html
    assert reverse("privacy:breach_notice", args=[notice.pk]) in html


def test_the_notice_page_shows_it_all_and_acknowledging_ends_the_banner(client, notice):
    client.force_login(notice.user)
    url = reverse("privacy:breach_notice", args=[notice.pk])

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    for text in [*TEXTS.values(), notice.incident.reference, "Ramees PP", "hello@mockri.com"]:
        assert text in page, text
    assert "I have read this notice" in page
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert "You confirmed you read this notice" in response.content.decode()
    home = client.get(reverse("pages:home")).content.decode()
    assert "A security incident involved your data" not in home


def test_acknowledging_twice_keeps_the_first_time(notice):
    breach_notice_acknowledge(notice=notice, now=NOW)
    breach_notice_acknowledge(notice=notice, now=NOW + HOUR)

    notice.refresh_from_db()
    assert notice.acknowledged_at == NOW


def test_someone_elses_notice_is_not_found(client, notice, cast):
    client.force_login(cast["sarah"])
    url = reverse("privacy:breach_notice", args=[notice.pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_the_notice_page_needs_a_signed_in_user(client, notice):
    response = client.get(reverse("privacy:breach_notice", args=[notice.pk]))

    assert response.status_code == 302


def test_visitors_cost_the_banner_no_query(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert breach_banner(request) == {}


@pytest.mark.parametrize("count", [1, 3])
def test_the_banner_costs_one_query_however_many_notices(cast, count, django_assert_num_queries):
    for index in range(count):
        incident = incident_for("account", start=START - index * DAY)
        breach_notify(incident=incident, now=NOW + index * HOUR)
    newest = BreachNotice.objects.filter(user=cast["kavya"], sent_at=NOW + (count - 1) * HOUR)
    request = RequestFactory().get("/")
    request.user = cast["kavya"]

    with django_assert_num_queries(1):
        banner = breach_banner(request)["breach_banner"]
        banner_pk = banner.pk

    assert banner_pk == newest.get().pk


# --- The command -------------------------------------------------------------------------------


@pytest.fixture
def describe_file(tmp_path):
    path = tmp_path / "breach.md"
    path.write_text(
        "# What happened\n{description}\n\n# Consequences\n{consequences}\n"
        "# Mitigation\n{mitigation}\n# What you can do\n{user_steps}\n".format(**TEXTS)
    )
    return path


def run(*args):
    out = io.StringIO()
    call_command(
        "breach_notice",
        "--start=2026-11-30T09:00+05:30",
        "--end=2026-12-01T09:00+05:30",
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_a_dry_run_lists_who_is_affected_and_changes_nothing(cast):
    output = run("--kinds=account", "--dry-run")

    assert "Dry run: nothing recorded or sent. 4 affected:" in output
    assert "kavya@example.com" in output and "sarah@example.com" in output
    assert f"{cast['bounced'].email} (address bounced: in-app notice only)" in output
    assert f"user {cast['erased'].pk} (erased their account since: cannot be told)" in output
    assert "Report to CERT-In by" in output and "Data Protection Board" in output
    assert not BreachIncident.objects.exists()
    assert not BreachNotice.objects.exists()


def test_the_command_records_the_incident_and_tells_everyone(cast, describe_file, staff):
    staff.date_joined = AFTER  # not among the affected
    staff.save()

    output = run(
        "--kinds=account,files",
        f"--describe-file={describe_file}",
        "--discovered=2026-12-01T10:00+05:30",
        f"--by={staff.email}",
    )

    incident = BreachIncident.objects.get()
    assert (incident.window_start, incident.window_end) == (START, END)
    assert incident.discovered_at == NOW + HOUR
    assert incident.data_kinds == ["account", "files"]
    assert {field: getattr(incident, field) for field in TEXTS} == TEXTS
    assert incident.created_by == staff
    assert BreachNotice.objects.count() == 3
    assert f"Recorded incident {incident.reference}. 4 affected: 3 notified" in output
    assert "Report to CERT-In by 2026-12-01 10:30 UTC" in output
    assert "in full by 2026-12-04 04:30 UTC" in output


def test_running_the_command_again_tells_nobody_twice(cast, describe_file):
    run("--kinds=account", f"--describe-file={describe_file}")

    with pytest.raises(CommandError, match="already covers this window"):
        run("--kinds=account", f"--describe-file={describe_file}")

    assert BreachIncident.objects.count() == 1
    assert BreachNotice.objects.count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kinds=account"], "Give --describe-file"),
        (["--kinds=photos", "--dry-run"], "Unknown kinds of data: photos."),
        (["--kinds=account", "--dry-run", "--discovered=yesterday"], "is not a time like"),
        (["--kinds=account", "--dry-run", "--discovered=2026-12-01T10:00"], "say which time zone"),
        (["--kinds=account", "--by=nobody@example.com", "--dry-run"], "no staff member"),
    ],
)
def test_bad_command_input_is_a_clear_error(cast, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_describe_file_missing_a_section_is_a_clear_error(cast, tmp_path):
    path = tmp_path / "breach.md"
    path.write_text("# What happened\nA leak.\n# Consequences\nPhishing.\n")

    with pytest.raises(CommandError, match="nothing under mitigation, what you can do"):
        run("--kinds=account", f"--describe-file={path}")

    assert not BreachIncident.objects.exists()


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def operator(staff, two_factor):
    staff.is_superuser = True  # as the operator's staff accounts are (see seed_demo)
    staff.date_joined = AFTER  # not among the affected
    staff.save()
    two_factor(staff)
    return staff


def test_staff_see_who_is_affected_before_sending(client, operator, cast):
    incident = incident_for("account")
    client.force_login(operator)

    page = client.get(reverse("admin:privacy_breachincident_change", args=[incident.pk]))

    html = page.content.decode()
    assert "4 people" in html
    assert "kavya@example.com" in html
    assert f"user {cast['erased'].pk} (account erased since: cannot be told)" in html
    assert "(email bounced: app only)" in html
    assert not BreachNotice.objects.exists()


def test_staff_record_an_incident_in_the_admin(client, operator):
    client.force_login(operator)

    client.post(
        reverse("admin:privacy_breachincident_add"),
        {
            **TEXTS,
            "window_start_0": "2026-11-30",
            "window_start_1": "09:00:00",
            "window_end_0": "2026-12-01",
            "window_end_1": "09:00:00",
            "discovered_at_0": "2026-12-01",
            "discovered_at_1": "10:00:00",
            "data_kinds": ["account", "payments"],
        },
    )

    incident = BreachIncident.objects.get()
    assert (incident.window_start, incident.window_end) == (START, END)
    assert (incident.data_kinds, incident.created_by) == (["account", "payments"], operator)


def test_the_send_notices_action_tells_everyone_once(client, operator, cast):
    incident = incident_for("account")
    client.force_login(operator)
    url = reverse("admin:privacy_breachincident_changelist")
    action = {"action": "send_notices", "_selected_action": [incident.pk]}

    first = client.post(url, action, follow=True).content.decode()
    client.post(url, action)

    assert "3 notified now (2 by email, 1 in the app only" in first
    assert BreachNotice.objects.count() == 3
    assert OutboxEmail.objects.filter(kind="breach_notice").count() == 2
    incident.refresh_from_db()
    assert incident.notified_at is not None
    change = client.get(reverse("admin:privacy_breachincident_change", args=[incident.pk]))
    assert 'name="description"' not in change.content.decode()  # the record is now fixed
    told = client.get(reverse("admin:privacy_breachnotice_changelist")).content.decode()
    assert "kavya@example.com" in told and "not sent (address bounced)" in told


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_only_staff_reach_breach_incidents(client, request, who):
    user = request.getfixturevalue(who)
    incident = incident_for("account")
    client.force_login(user)

    listing = client.get(reverse("admin:privacy_breachincident_changelist"))
    client.post(
        reverse("admin:privacy_breachincident_changelist"),
        {"action": "send_notices", "_selected_action": [incident.pk]},
    )

    assert listing.status_code == 302 and "/admin/login/" in listing["Location"]
    assert not BreachNotice.objects.exists()


def test_feedback_affects_both_sides_of_sessions_with_a_scorecard_or_rating_before_the_end(
    candidate, interviewer, other_candidate, profile, free_type, now
):
    def past(person):
        return past_session(
            candidate=person,
            interviewer=profile,
            interview_type=free_type,
            starts_at=NOW - datetime.timedelta(days=3),
        )

    scored = past(candidate)
    feedback_submit(
        booking=scored,
        interviewer=interviewer,
        scores={},
        hire_signal="yes",
        strengths="Clear.",
        areas_to_improve="Tests.",
        now=NOW,
    )
    unscored = past(other_candidate)
    Rating.objects.create(
        booking=unscored,
        score=4,
        created_at=NOW + datetime.timedelta(days=9),
        updated_at=NOW + datetime.timedelta(days=9),
    )

    affected = breach_affected_users(
        window_start=NOW - datetime.timedelta(days=1),
        window_end=NOW + datetime.timedelta(days=1),
        kinds=["feedback"],
    )

    assert set(affected) == {candidate, interviewer}
