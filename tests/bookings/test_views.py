import datetime
import html
import re
from urllib.parse import quote, urljoin

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from mockri.bookings import availability_cache
from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking, FileAccess
from mockri.bookings.open_starts import open_starts_rebuild
from mockri.bookings.selectors import offered_rules_forget
from mockri.scheduling.models import WeeklyAvailability
from tests.factories import InterviewerProfileFactory, UserFactory
from tests.fixtures import PDF_BYTES, SLOT, SLOT_BOTH, docx_bytes, open_all_week, slot_link

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def details_url(interview_type, interviewer="any", start=SLOT):
    return (
        reverse("bookings:new", kwargs={"slug": interview_type.slug})
        + f"?interviewer={interviewer}&start={quote(start.isoformat())}"
    )


def booking_post(start=SLOT, **changes):
    data = {
        "starts_at": start.isoformat(),
        "idempotency_key": "0b8e4f7c-2f0e-4a55-9a39-3f1b6f1d7c01",
        "interviewer": "any",
        "job_description_text": "Senior backend engineer, payments.",
        "resume": SimpleUploadedFile("Kavya CV.pdf", PDF_BYTES),
        "target_company": "Razorpay",
        "focus_areas": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Slot picker ---------------------------------------------------------------------------


def test_the_slot_picker_shows_open_times_in_the_viewers_zone(client, now, paid_type, profile):
    response = client.get(reverse("bookings:slots", kwargs={"slug": paid_type.slug}))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Asia/Kolkata" in page
    # Wednesday 10:00 in India is open (the first day after the 12-hour notice has hours)
    assert slot_link(SLOT) in page


def test_an_anonymous_visitor_can_ask_for_their_own_zone(client, now, paid_type, profile):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}), {"tz": "Europe/London"}
    )

    assert response.context["viewer_timezone"] == "Europe/London"
    first = response.context["days"][0]["slots"][0]
    assert first["local"].tzinfo.key == "Europe/London"


def test_a_visitors_old_zone_name_becomes_its_canonical_name(client, now, paid_type, profile):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}), {"tz": "Asia/Calcutta"}
    )

    assert response.context["viewer_timezone"] == "Asia/Kolkata"


def test_a_chosen_interviewer_shows_their_local_time_too(client, now, paid_type, profile):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}),
        {"interviewer": profile.slug, "tz": "Europe/London"},
    )

    slot = response.context["days"][0]["slots"][0]
    assert response.context["chosen"] == profile
    # 09:00 in India on Wednesday is 03:30 in London
    assert (slot["label"], slot["other_label"]) == ("3:30 am", "9:00 am")
    assert "9:00 am for Ananya" in response.content.decode()


def test_htmx_requests_get_only_the_slots_partial(client, now, paid_type, profile):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}),
        {"page": 1},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert 'id="slots"' in page
    assert "<html" not in page


@pytest.fixture
def local_cache(settings, shared_cache):
    """A cache outside the database, so query counts show the page's own queries only: Redis
    in `make test`'s Redis pass, else a per-process memory cache."""
    if not settings.REDIS_URL:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
        shared_cache.clear()


@pytest.mark.parametrize("count", [1, 3])
def test_the_slot_picker_queries_do_not_grow_with_interviewers_or_bookings(
    client, now, paid_type, profile, book, django_assert_num_queries, local_cache, count
):
    for index in range(count):
        other = open_all_week(InterviewerProfileFactory())
        paid_type.interviewers.add(other)
        book(candidate=UserFactory(), interview_type=paid_type, interviewer=other)
        book(
            candidate=UserFactory(),
            interview_type=paid_type,
            interviewer=profile,
            starts_at=SLOT + datetime.timedelta(hours=2 * index),
        )
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})

    # the schedule version, type, the interviewers the chooser names and how many offer it,
    # whether the table of open starts may be read (not built here), then everyone offering it,
    # their weekly hours, date overrides, time off and bookings; the day's page-view counter
    # (operations.middleware)
    with django_assert_num_queries(11):
        client.get(url)
    # a visitor's page comes whole from the cache, in one read with the schedule version; the
    # day's page-view counter is tallied in memory (operations.funnel): no query
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.wsgi_request.session.accessed is False
    assert "Vary" not in response


@pytest.mark.parametrize("count", [1, 12])
def test_a_slot_page_computed_from_the_table_reads_only_the_interviewers_it_names(
    client, now, paid_type, profile, django_assert_num_queries, local_cache, count
):
    for _ in range(count):
        paid_type.interviewers.add(open_all_week(InterviewerProfileFactory()))
    open_starts_rebuild(now=now)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})

    # the schedule version, type, the interviewers the chooser names (ten at most) and how many
    # offer it, whether the table of open starts may be read, the week's starts from it; the
    # day's page-view counter (operations.middleware)
    with django_assert_num_queries(7) as queries:
        response = client.get(url)

    assert response.status_code == 200
    profiles_read = [
        q["sql"] for q in queries.captured_queries if "catalogue_interviewerprofile" in q["sql"]
    ]
    assert len(profiles_read) == 2 and "LIMIT 10" in profiles_read[0]


def test_a_signed_in_slot_page_renders_its_header_around_cached_times(
    client, now, candidate, paid_type, profile, django_assert_num_queries, local_cache
):
    client.force_login(candidate)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    client.get(url)  # sets the CSRF cookie, as the sign-in form would have
    client.get(url)

    # the session with its user; the page frame around the picker (header, banners), the picker,
    # the schedule version and the candidate's own sessions come from the cache in one read; the
    # day's page-view counter is tallied in memory
    with django_assert_num_queries(1):
        response = client.get(url)

    assert response.templates == []  # nothing rendered
    assert slot_link(SLOT) in response.content.decode()
    assert candidate.full_name.split()[0] in response.content.decode()
    # The frame's forms carry a token of the browser's cookie: they keep working.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert _unmask_cipher_token(token.group(1)) == client.cookies[settings.CSRF_COOKIE_NAME].value


def test_a_signed_in_pages_kept_frame_holds_no_name_or_address(
    client, now, paid_type, profile, local_cache, monkeypatch
):
    viewer = UserFactory(full_name="Kavya mockri Rao", email="kavya.rao@example.com")
    client.force_login(viewer)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    kept = {}
    keep = availability_cache._keep

    def recording(key, value, seconds, **here):  # what goes to both caches
        kept[key] = value
        keep(key, value, seconds, **here)

    monkeypatch.setattr(availability_cache, "_keep", recording)

    client.get(url)  # sets the CSRF cookie, as the sign-in form would have
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()

    frames = [str(value) for key, value in kept.items() if key.startswith("picker-frame:")]
    assert len(frames) == 1
    assert "Kavya" not in frames[0] and "kavya.rao@example.com" not in frames[0]
    assert second == first
    assert "Kavya mockri Rao" in second and "kavya.rao@example.com" in second


def test_a_signed_in_candidate_who_books_sees_the_time_gone_at_once_and_others_still_see_it(
    client, now, candidate, paid_type, profile, book, local_cache,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    other = open_all_week(InterviewerProfileFactory())
    paid_type.interviewers.add(other)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    link = slot_link(SLOT)
    client.force_login(candidate)
    assert link in client.get(url).content.decode()
    someone_else = Client()
    someone_else.force_login(UserFactory())
    assert link in someone_else.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    assert link not in client.get(url).content.decode()
    assert link in someone_else.get(url).content.decode()


def test_a_signed_in_page_shows_a_message_once_and_a_new_name_at_once(
    client, now, candidate, paid_type, profile, local_cache
):
    client.force_login(candidate)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    client.get(url)  # the frame is kept

    # A time no one offers: the details step sends the candidate back with a message.
    taken = client.get(details_url(paid_type, start=SLOT + datetime.timedelta(minutes=10)))
    assert taken.status_code == 302
    shown = client.get(url).content.decode()
    again = client.get(url).content.decode()
    candidate.full_name = "Zoya Quraishi"
    candidate.save()
    renamed = client.get(url).content.decode()

    assert "Please pick another one" in shown, re.findall(r"alert.*?<p>(.*?)</p>", shown, re.S)
    assert "Please pick another one" not in again
    assert "Zoya" in renamed


def test_a_new_booking_refreshes_the_cached_slots_at_once(
    client,
    now,
    candidate,
    paid_type,
    profile,
    book,
    local_cache,
    django_capture_on_commit_callbacks,
):
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    link = slot_link(SLOT)
    assert link in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    assert link not in client.get(url).content.decode()


def test_new_weekly_hours_refresh_the_cached_slots(
    client, now, paid_type, profile, local_cache, django_capture_on_commit_callbacks
):
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    before = client.get(url).content.decode()
    evening = datetime.datetime(2026, 12, 2, 14, 30, tzinfo=datetime.UTC)  # 20:00 in India
    assert slot_link(evening) not in before

    with django_capture_on_commit_callbacks(execute=True):
        WeeklyAvailability.objects.create(
            interviewer=profile,
            weekday=2,
            start_time=datetime.time(19),
            end_time=datetime.time(22),
        )

    assert slot_link(evening) in client.get(url).content.decode()


def test_a_bad_page_number_falls_back_to_the_first_week(client, now, paid_type, profile):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}), {"page": "lots"}
    )

    assert response.status_code == 200
    assert response.context["page"] == 0


# --- Booking form --------------------------------------------------------------------------


def test_booking_needs_a_signed_in_user(client, now, paid_type, profile):
    response = client.get(details_url(paid_type))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_booking_needs_a_verified_email(client, now, paid_type, profile):
    client.force_login(UserFactory(email_verified=False))

    response = client.get(details_url(paid_type))

    assert response.url == reverse("account_email")


def test_the_details_step_carries_the_chosen_time(client, now, candidate, paid_type, profile):
    client.force_login(candidate)

    response = client.get(details_url(paid_type, profile.slug))

    assert response.status_code == 200
    assert response.context["starts_at"] == SLOT
    assert response.context["chosen"] == profile


@pytest.mark.parametrize("wanted", ["any", "profile"])
def test_a_time_on_the_picker_links_to_the_details_step_for_that_time(
    client, now, candidate, paid_type, profile, wanted
):
    client.force_login(candidate)
    picker = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    chosen = profile.slug if wanted == "profile" else "any"
    page = client.get(picker, {"interviewer": chosen}).content.decode()
    href = re.search(rf'<a class="slot" href="([^"]*{re.escape(slot_link(SLOT))}[^"]*)"', page)

    # Resolved against the picker's address, as a browser does.
    details = client.get(urljoin(picker + "?page=0", html.unescape(href[1])))

    assert details.status_code == 200
    assert details.context["starts_at"] == SLOT
    assert details.context["chosen"] == (profile if wanted == "profile" else None)


def test_a_paid_booking_is_made_and_waits_for_payment(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post())

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("payments:pay", kwargs={"reference": booking.reference})
    assert (booking.candidate, booking.interviewer, booking.status) == (
        candidate,
        profile,
        BookingStatus.PENDING_PAYMENT,
    )
    assert booking.target_company == "Razorpay"
    resume = booking.files.get()
    assert (resume.kind, resume.original_name, resume.content_type) == (
        "resume",
        "Kavya CV.pdf",
        "application/pdf",
    )
    stored = private_storage / resume.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert stored.stat().st_mode & 0o777 == 0o600
    assert "Kavya" not in resume.file.name


def signed_in_browser():
    """A candidate's browser after a first page: the session holds its consent and idle marks."""
    browser = Client()
    browser.force_login(UserFactory())
    browser.get(reverse("bookings:list"))
    return browser


@pytest.mark.parametrize("interviewers", [1, 3])
def test_a_booking_post_takes_a_fixed_number_of_queries(
    now, paid_type, profile, book, private_storage, django_assert_num_queries, interviewers
):
    for _ in range(interviewers - 1):
        paid_type.interviewers.add(open_all_week(InterviewerProfileFactory()))
    open_starts_rebuild(now=now)  # as in production: the hourly step keeps it
    # An earlier booking: the schedule marker exists, and this process keeps the rules.
    book(candidate=UserFactory(), interview_type=paid_type, starts_at=SLOT + 2 * HOUR)
    browser = signed_in_browser()

    # The session with its user, the type, the verified address; the two rate limits (per address
    # and per account, both per minute: one upsert); the rules version, who is free at the time
    # from the table of open starts (least busy first, one query however many offer the type);
    # then a savepoint (the test's transaction holds the real one), the lock (PostgreSQL), the
    # candidate's unpaid holds and run-out holds in the way (under the lock, one query), the
    # overlap check
    # (SQLite), the booking, its file, its audit event; the rules version again (under the lock),
    # the interviewer's bookings around the time, and their open starts of those dates rewritten
    # (a delete, an insert); the schedule marker and the cached copy of it dropped.
    # (Production adds one row for the hold's expiry task, which tests queue in memory.)
    with django_assert_num_queries(19):
        response = browser.post(details_url(paid_type), booking_post())

    booking = Booking.objects.get(starts_at=SLOT)
    assert response.url == reverse("payments:pay", kwargs={"reference": booking.reference})


@pytest.mark.parametrize("interviewers", [1, 3])
def test_a_process_reads_the_interviewers_rules_for_its_first_booking_only(
    now, paid_type, profile, book, private_storage, django_assert_num_queries, interviewers
):
    for _ in range(interviewers - 1):
        paid_type.interviewers.add(open_all_week(InterviewerProfileFactory()))
    open_starts_rebuild(now=now)
    book(candidate=UserFactory(), interview_type=paid_type, starts_at=SLOT + 2 * HOUR)
    offered_rules_forget()  # as in a process that has not booked yet
    browser = signed_in_browser()

    # As above, and who offers the type, their weekly hours, date overrides, time off and types.
    with django_assert_num_queries(24):
        response = browser.post(details_url(paid_type), booking_post())

    assert response.url.startswith("/bookings/")


def test_a_double_submitted_form_makes_one_booking(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)

    first = client.post(details_url(paid_type), booking_post())
    second = client.post(details_url(paid_type), booking_post())

    assert Booking.objects.count() == 1
    assert first.url == second.url


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"job_description_text": "   "}, "Paste the job description or upload it"),
        ({"resume": None}, "This field is required"),
        (
            {"resume": SimpleUploadedFile("cv.pdf", b"<html><body>hi</body></html>")},
            "contents are not",
        ),
        (
            {"resume": SimpleUploadedFile("cv.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024))},
            "the limit is 5 MB",
        ),
        (
            {
                "resume": SimpleUploadedFile(
                    "cv.docx", docx_bytes({"word/bomb.bin": b"\0" * (60 * 1024 * 1024)})
                )
            },
            "expands to far more",
        ),
        ({"starts_at": "tomorrow-ish"}, "Enter a valid date/time"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    client, now, candidate, paid_type, profile, private_storage, changes, message
):
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post(**changes))

    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert message in response.content.decode()
    assert not Booking.objects.exists()
    assert not (private_storage / "bookings").exists() or not any(
        (private_storage / "bookings").iterdir()
    )


def test_a_slot_taken_meanwhile_sends_the_candidate_back_to_fresh_slots(
    client, now, candidate, other_candidate, paid_type, profile, book
):
    book(candidate=other_candidate, interview_type=paid_type, interviewer=profile)
    client.force_login(candidate)

    response = client.post(details_url(paid_type), booking_post(), follow=True)

    assert response.redirect_chain[-1][0].startswith(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    )
    assert "just taken" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_tampered_interviewer_is_not_found(client, now, candidate, paid_type, profile):
    stranger = InterviewerProfileFactory(slug="not-offering")
    client.force_login(candidate)

    response = client.get(details_url(paid_type, stranger.slug))

    assert response.status_code == 404


# --- The booking page and its files ---------------------------------------------------------


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


@pytest.mark.parametrize("who", ["candidate", "interviewer", "staff"])
def test_the_candidate_interviewer_and_staff_can_open_the_booking(
    client, booking, request, two_factor, who
):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    response = client.get(booking.get_absolute_url())

    assert response.status_code == 200
    assert booking.reference in response.content.decode()


@pytest.mark.parametrize("who", ["other_candidate", "other_interviewer"])
def test_anyone_else_gets_404_for_the_booking_and_its_files(
    client, booking, request, two_factor, who
):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    for url in [
        booking.get_absolute_url(),
        reverse("bookings:file", kwargs={"reference": booking.reference, "kind": "resume"}),
        reverse("bookings:reschedule", kwargs={"reference": booking.reference}),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("bookings:cancel", kwargs={"reference": booking.reference})).status_code
        == 404
    )
    assert not FileAccess.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING_PAYMENT


def test_the_interviewer_downloads_the_resume_and_the_candidate_sees_it_logged(
    client, booking, interviewer, candidate, two_factor
):
    two_factor(interviewer)
    client.force_login(interviewer)

    response = client.get(booking.files.get().get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    (access,) = FileAccess.objects.all()
    assert (access.accessed_by, access.accessed_by_role, access.kind) == (
        interviewer,
        Actor.INTERVIEWER,
        "resume",
    )

    client.force_login(candidate)
    page = client.get(booking.get_absolute_url())
    assert list(page.context["accesses"]) == [access]
    assert "Ananya Iyer" in page.content.decode()


def test_a_hostile_file_name_cannot_inject_headers(
    client, now, candidate, paid_type, profile, private_storage
):
    client.force_login(candidate)
    client.post(
        details_url(paid_type),
        booking_post(resume=SimpleUploadedFile("cv\r\nSet-Cookie: x=1.pdf", PDF_BYTES)),
    )

    response = client.get(Booking.objects.get().files.get().get_absolute_url())

    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in response.headers or "x=1" not in response["Set-Cookie"]


def test_an_unknown_file_kind_is_not_found(client, booking, candidate):
    client.force_login(candidate)

    response = client.get(
        reverse("bookings:file", kwargs={"reference": booking.reference, "kind": "passport"})
    )

    assert response.status_code == 404


def test_the_candidate_cancels_from_the_booking_page(client, booking, candidate):
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:cancel", kwargs={"reference": booking.reference}),
        {"reason": "Got the offer!"},
    )

    booking.refresh_from_db()
    assert response.url == booking.get_absolute_url()
    assert (booking.status, booking.cancelled_by, booking.cancellation_reason) == (
        BookingStatus.CANCELLED,
        Actor.CANDIDATE,
        "Got the offer!",
    )


def test_a_cancel_after_the_start_is_refused_with_a_message(client, booking, candidate):
    with time_machine.travel(SLOT + datetime.timedelta(minutes=5), tick=False):
        client.force_login(candidate)
        response = client.post(
            reverse("bookings:cancel", kwargs={"reference": booking.reference}), follow=True
        )

    assert "already started" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING_PAYMENT


def test_a_candidate_cannot_record_the_outcome(client, booking, candidate):
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:outcome", kwargs={"reference": booking.reference}),
        {"outcome": "completed"},
    )

    assert response.status_code == 404


# --- Dashboards -----------------------------------------------------------------------------


def test_the_candidate_dashboard_lists_only_their_own_sessions(
    client, now, candidate, other_candidate, paid_type, free_type, profile, book
):
    mine = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    theirs = book(
        candidate=other_candidate,
        interview_type=free_type,
        interviewer=profile,
        starts_at=SLOT + datetime.timedelta(hours=3),
    )
    client.force_login(candidate)

    response = client.get(reverse("bookings:list"))

    page = response.content.decode()
    assert response.context["pending"] == [mine]
    assert mine.reference in page
    assert theirs.reference not in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_candidate_dashboard_queries_do_not_grow(
    client, now, candidate, paid_type, profile, book, django_assert_num_queries, count, settings
):
    settings.BOOKING_MAX_UNPAID_HOLDS = count
    for index in range(count):
        book(
            candidate=candidate,
            interview_type=paid_type,
            interviewer=profile,
            starts_at=SLOT + datetime.timedelta(hours=2 * index),
        )
    client.force_login(candidate)
    client.get(reverse("bookings:list"))  # warm the session

    # the session with its user, the bookings and the banner's unread breach notices
    with django_assert_num_queries(3):
        client.get(reverse("bookings:list"))


def test_the_interviewer_dashboard_shows_only_their_sessions_with_materials(
    client, now, interviewer, candidate, paid_type, profile, other_profile, book, two_factor
):
    two_factor(interviewer)
    paid_type.interviewers.add(other_profile)
    mine = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    client.force_login(interviewer)

    response = client.get(reverse("interviewers:dashboard"))
    page = response.content.decode()

    assert response.context["upcoming"] == [mine]
    assert candidate.full_name in page
    assert mine.files.get().get_absolute_url() in page


def test_a_candidate_has_no_interviewer_dashboard(client, candidate):
    client.force_login(candidate)

    assert client.get(reverse("interviewers:dashboard")).status_code == 404


def test_reference_numbers_are_unguessable_looking(booking):
    assert re.fullmatch(r"MK-[A-HJ-NP-Z2-9]{7}", booking.reference)


def test_staff_reassign_from_the_booking_page(
    client, booking, staff, other_profile, paid_type, two_factor
):
    two_factor(staff)
    paid_type.interviewers.add(other_profile)
    client.force_login(staff)

    response = client.post(
        reverse("bookings:reassign", kwargs={"reference": booking.reference}),
        {"interviewer": other_profile.pk},
    )

    booking.refresh_from_db()
    assert response.url == booking.get_absolute_url()
    assert booking.interviewer == other_profile


def test_only_staff_can_reassign(client, booking, candidate, other_profile, paid_type):
    paid_type.interviewers.add(other_profile)
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:reassign", kwargs={"reference": booking.reference}),
        {"interviewer": other_profile.pk},
    )

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.interviewer != other_profile


def test_an_interviewer_without_two_factor_is_sent_to_set_it_up_first(client, booking, interviewer):
    client.force_login(interviewer)

    response = client.get(booking.files.get().get_absolute_url())

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert not FileAccess.objects.exists()


def test_a_signed_in_candidate_is_not_offered_times_of_their_own_sessions(
    client, now, candidate, paid_type, free_type, profile, other_profile, book, local_cache
):
    paid_type.interviewers.add(other_profile)

    book(candidate=candidate, interview_type=free_type, interviewer=profile, starts_at=SLOT_BOTH)
    client.force_login(candidate)

    page = client.get(reverse("bookings:slots", kwargs={"slug": paid_type.slug})).content.decode()
    anonymous = Client().get(reverse("bookings:slots", kwargs={"slug": paid_type.slug}))

    taken = slot_link(SLOT_BOTH)
    assert taken not in page  # London's interviewer is free then, but the candidate is not
    assert taken in anonymous.content.decode()


def test_the_candidate_replaces_the_resume_and_the_old_file_is_gone(
    client,
    booking,
    candidate,
    interviewer,
    two_factor,
    private_storage,
    django_capture_on_commit_callbacks,
):
    old = private_storage / booking.files.get().file.name
    client.force_login(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bookings:replace_file", kwargs={"reference": booking.reference}),
            {"kind": "resume", "file": SimpleUploadedFile("new cv.docx", docx_bytes())},
        )

    new = booking.files.get()
    assert response.url == booking.get_absolute_url()
    assert (new.original_name, new.content_type.endswith("document")) == ("new cv.docx", True)
    assert not old.exists()
    two_factor(interviewer)
    client.force_login(interviewer)
    downloaded = client.get(new.get_absolute_url())
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].endswith('filename="new cv.docx"')


def test_a_bad_replacement_is_refused_and_the_old_file_stays(
    client, booking, candidate, private_storage
):
    old = booking.files.get()
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:replace_file", kwargs={"reference": booking.reference}),
        {"kind": "resume", "file": SimpleUploadedFile("cv.pdf", b"<html>nope</html>")},
        follow=True,
    )

    assert "contents are not" in response.content.decode()
    assert booking.files.get() == old
    assert (private_storage / old.file.name).exists()


def test_only_the_candidate_replaces_files(client, booking, interviewer, two_factor):
    two_factor(interviewer)
    client.force_login(interviewer)

    response = client.post(
        reverse("bookings:replace_file", kwargs={"reference": booking.reference}),
        {"kind": "resume", "file": SimpleUploadedFile("cv.pdf", PDF_BYTES)},
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("wanted", "first_day"),
    [
        ("2026-12-20", datetime.date(2026, 12, 15)),  # the week from today that holds it
        ("2026-12-01", datetime.date(2026, 12, 1)),
        ("2025-01-01", datetime.date(2026, 12, 1)),  # the past: this week
        ("2027-12-01", datetime.date(2027, 2, 23)),  # beyond the last week: the last week
        ("20-12-2026", datetime.date(2026, 12, 1)),  # not a date: this week
    ],
)
def test_the_picker_goes_straight_to_the_week_of_a_date(
    client, now, paid_type, profile, wanted, first_day
):
    response = client.get(
        reverse("bookings:slots", kwargs={"slug": paid_type.slug}), {"date": wanted}
    )

    assert response.status_code == 200
    assert response.context["first_day"] == first_day


def test_the_date_field_offers_the_days_the_picker_can_show(client, now, paid_type, profile):
    page = client.get(reverse("bookings:slots", kwargs={"slug": paid_type.slug})).content.decode()

    assert 'name="date" value="2026-12-01" min="2026-12-01" max="2027-03-01"' in page


def test_the_chooser_names_the_ten_with_most_sessions_and_links_the_directory_for_the_rest(
    client, now, paid_type, profile
):
    for n in range(11):
        paid_type.interviewers.add(
            open_all_week(
                InterviewerProfileFactory(display_name=f"Busy {n:02}", sessions_given=50 + n)
            )
        )
    least = open_all_week(InterviewerProfileFactory(display_name="Newcomer", sessions_given=0))
    paid_type.interviewers.add(least)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})

    page = client.get(url).content.decode()
    named = re.findall(r'type="radio" name="interviewer" value="([^"]+)"', page)
    assert len(named) == 11  # "any" and ten
    assert least.slug not in named and profile.slug not in named
    assert "13 interviewers take this interview" in page
    assert f'href="/interviewers/?type={paid_type.slug}"' in page

    chosen = client.get(url, {"interviewer": least.slug}).content.decode()
    assert f'value="{least.slug}" checked' in chosen


def test_a_short_list_of_interviewers_is_named_whole(client, now, paid_type, profile):
    page = client.get(reverse("bookings:slots", kwargs={"slug": paid_type.slug})).content.decode()

    assert f'value="{profile.slug}"' in page
    assert "take this interview" not in page


def test_a_kept_frame_is_only_served_with_the_csrf_cookie_its_forms_were_made_for(
    client, now, candidate, paid_type, profile, local_cache
):
    client.force_login(candidate)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    client.get(url)
    client.get(url)  # kept, for this cookie
    kept_for = client.cookies[settings.CSRF_COOKIE_NAME].value

    del client.cookies[settings.CSRF_COOKIE_NAME]
    response = client.get(url)  # rendered afresh, with a new cookie
    new_cookie = response.cookies[settings.CSRF_COOKIE_NAME].value
    page = response.content.decode()

    assert new_cookie != kept_for
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert _unmask_cipher_token(token) == new_cookie
