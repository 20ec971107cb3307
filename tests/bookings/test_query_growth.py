"""The query budget: every public page and the booking POST run as many queries with one
interviewer as with five, and with their bookings, on a cold cache and on a warm one. A page
whose count grows with the data (a query per interviewer or per booking) fails here."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mockri.bookings.open_starts import open_starts_ready, open_starts_rebuild
from mockri.bookings.selectors import offered_rules_forget
from mockri.earnings.selectors import RELIABLE_AFTER_SESSIONS
from mockri.operations.funnel import funnel_forget
from tests.bookings.test_views import booking_post, details_url, signed_in_browser
from tests.factories import InterviewerProfileFactory, UserFactory
from tests.fixtures import SLOT, clear_caches, open_all_week, past_session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def picker(kind, **query) -> str:
    return reverse("bookings:slots", kwargs={"slug": kind.slug}) + "?" + urlencode(query)


PAGES = {
    "home": lambda kind, profile: (Client(), "/"),
    "interview types": lambda kind, profile: (Client(), reverse("catalogue:types")),
    "an interview type": lambda kind, profile: (Client(), kind.get_absolute_url()),
    "an interviewer's profile": lambda kind, profile: (Client(), profile.get_absolute_url()),
    "the directory": lambda kind, profile: (Client(), reverse("bookings:directory")),
    "slot picker, any, visitor": lambda kind, profile: (Client(), picker(kind)),
    "slot picker, any, signed in": lambda kind, profile: (signed_in_browser(), picker(kind)),
    "slot picker, one, visitor": lambda kind, profile: (
        Client(),
        picker(kind, interviewer=profile.slug),
    ),
}


def grow(kind, book, *, interviewers: int) -> None:
    """More interviewers offering `kind`, each with upcoming bookings and past sessions, and
    enough sessions given for the reliability badge to be read."""
    for n in range(interviewers):
        other = open_all_week(InterviewerProfileFactory(sessions_given=RELIABLE_AFTER_SESSIONS))
        kind.interviewers.add(other)
        for k in range(2):
            book(
                candidate=UserFactory(),
                interview_type=kind,
                interviewer=other,
                starts_at=SLOT + (2 * k + 1) * HOUR,
            )
            past_session(
                candidate=UserFactory(),
                interviewer=other,
                interview_type=kind,
                starts_at=SLOT - (n + 1) * datetime.timedelta(days=k + 2),
            )


def queries(client, path) -> tuple[int, int]:
    """Queries of a first (cold cache) and a second request, in a process whose page-view tally
    was last written long ago (so the first writes it, the second keeps it in memory)."""
    funnel_forget()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(captured))
    return counts[0], counts[1]


@pytest.fixture
def memory_cache(settings):
    """A cache on the frozen clock (Redis keeps real time: a short-lived entry running out
    between two counts would add a query to one of them)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    clear_caches()


@pytest.mark.parametrize("page", PAGES)
def test_a_pages_queries_do_not_grow_with_interviewers_or_bookings(
    page, now, paid_type, profile, book, memory_cache
):
    grow(paid_type, book, interviewers=1)
    clear_caches()
    few = queries(*PAGES[page](paid_type, profile))

    grow(paid_type, book, interviewers=4)
    clear_caches()
    many = queries(*PAGES[page](paid_type, profile))

    assert many == few


def test_the_booking_posts_queries_do_not_grow_with_interviewers_or_bookings(
    now, paid_type, profile, book, private_storage
):
    def post_queries(start) -> int:
        offered_rules_forget()  # each as a process's first booking: the rules are read too
        browser = signed_in_browser()
        with CaptureQueriesContext(connection) as captured:
            response = browser.post(details_url(paid_type, start=start), booking_post(start))
        assert response.status_code == 302 and "/pay/" in response.url, response
        return len(captured)

    grow(paid_type, book, interviewers=1)
    few = post_queries(SLOT + 6 * HOUR)
    grow(paid_type, book, interviewers=4)

    assert post_queries(SLOT + 7 * HOUR) == few


@pytest.mark.parametrize("page", ["slot picker, any, visitor", "slot picker, any, signed in"])
def test_the_any_pickers_queries_on_the_table_of_open_starts_do_not_grow_with_interviewers(
    page, now, paid_type, profile, book, memory_cache
):
    grow(paid_type, book, interviewers=1)
    open_starts_rebuild(now=now)  # grow() writes hours in bulk, past the model signals
    clear_caches()
    few = queries(*PAGES[page](paid_type, profile))

    grow(paid_type, book, interviewers=4)
    open_starts_rebuild(now=now)
    clear_caches()
    many = queries(*PAGES[page](paid_type, profile))

    assert open_starts_ready(now=now)
    assert many == few
