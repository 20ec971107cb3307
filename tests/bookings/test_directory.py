"""/interviewers/: the directory of listed interviewers, its filters, sorting and next free
times, and its query count."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.models import Booking
from mockri.bookings.open_starts import open_starts_rebuild
from mockri.catalogue.models import Seniority
from tests.factories import (
    CompanyFactory,
    InterviewerProfileFactory,
    InterviewTypeFactory,
    UserFactory,
)
from tests.fixtures import clear_caches, open_all_week, past_session

pytestmark = pytest.mark.django_db

DIRECTORY = "/interviewers/"


def shown(response) -> list[str]:
    """The slugs of the interviewers on the page, in order."""
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-interviewer="')[1:]]


@pytest.fixture
def coding(now):
    return InterviewTypeFactory(name="Coding", slug="coding", price_paise=149_900, position=1)


@pytest.fixture
def design(now):
    return InterviewTypeFactory(
        name="System Design", slug="design", price_paise=199_900, position=2
    )


def listed(slug, *types, **fields):
    profile = open_all_week(InterviewerProfileFactory(slug=slug, **fields))
    for interview_type in types:
        interview_type.interviewers.add(profile)
    return profile


def test_the_directory_is_at_interviewers_and_linked_from_the_navigation(client, now):
    assert reverse("bookings:directory") == DIRECTORY
    assert f'href="{DIRECTORY}"' in client.get(reverse("pages:home")).content.decode()


def test_a_card_shows_the_public_profile_and_the_next_free_time_in_the_viewers_zone(
    client, now, coding, design
):
    CompanyFactory(name="Google")
    listed(
        "ananya",
        coding,
        design,
        display_name="Ananya Iyer",
        headline="Senior engineer, payments",
        companies=["Google", "Flipkart"],
        seniority=Seniority.STAFF,
        languages=["English", "Tamil"],
        sessions_given=12,
        rating_count=3,
        rating_total=14,
    )

    html = client.get(DIRECTORY, {"tz": "Asia/Kolkata"}).content.decode()

    for text in [
        "Ananya Iyer",
        "Senior engineer, payments",
        "Flipkart · Google",
        "Staff / principal",
        "English, Tamil",
        "Coding · System Design",
        "From ₹1,499",
        "4.7 out of 5 · 3 ratings",
        "12 sessions given",
        # 12 h notice from 9:00 am IST on Tuesday: the next morning's first start.
        "Next free: <strong>Wed 2 Dec, 9:00 am IST</strong> (Coding)",
        'href="/interviews/coding/book/?interviewer=ananya">Book with Ananya Iyer</a>',
    ]:
        assert text in html


def test_times_show_in_the_visitors_own_zone(client, now, coding):
    listed("ananya", coding)

    html = client.get(DIRECTORY, {"tz": "Europe/London"}).content.decode()

    assert "Next free: <strong>Wed 2 Dec, 3:30 am GMT</strong>" in html


def test_the_average_rating_shows_only_from_three_ratings(client, now, coding):
    listed("ananya", coding, rating_count=2, rating_total=10)

    html = client.get(DIRECTORY).content.decode()

    assert "New" in html
    assert "out of 5" not in html


def test_only_listed_active_interviewers_appear(client, now, coding):
    listed("shown", coding)
    listed("unlisted", coding, is_listed=False)
    gone = listed("gone", coding)
    gone.user.is_active = False
    gone.user.save()

    assert shown(client.get(DIRECTORY)) == ["shown"]


def test_a_company_alias_finds_the_company(client, now, coding):
    CompanyFactory(name="Google", slug="google", aliases="Google India\nAlphabet")
    listed("ananya", coding, companies=["Google"])
    listed("rohan", coding, companies=["Amazon"])

    response = client.get(DIRECTORY, {"company": "google india"})

    assert shown(response) == ["ananya"]
    assert '<option value="google" selected>Google</option>' in response.content.decode()


def test_filters_combine(client, now, coding, design):
    listed("match", coding, companies=["Google"], seniority=Seniority.SENIOR, languages=["Hindi"])
    listed(
        "other-type", design, companies=["Google"], seniority=Seniority.SENIOR, languages=["Hindi"]
    )
    listed(
        "other-level", coding, companies=["Google"], seniority=Seniority.STAFF, languages=["Hindi"]
    )
    listed("other-language", coding, companies=["Google"], seniority=Seniority.SENIOR)
    listed("other-company", coding, seniority=Seniority.SENIOR, languages=["Hindi"])

    response = client.get(
        DIRECTORY,
        {"company": "google", "type": "coding", "seniority": "senior", "language": "hindi"},
    )

    assert shown(response) == ["match"]


def test_free_this_week_leaves_out_who_is_not_free_in_the_next_seven_days(client, now, coding):
    listed("soon", coding)
    later = InterviewerProfileFactory(slug="later")
    coding.interviewers.add(later)  # no hours at all

    assert shown(client.get(DIRECTORY, {"free": "week"})) == ["soon"]
    assert shown(client.get(DIRECTORY)) == ["soon", "later"]


def test_soonest_free_comes_first_by_default(client, now, coding):
    late = listed("late", coding, sessions_given=50)
    late.weekly_availability.all().delete()
    open_all_week(late, "15:00", "18:00")
    listed("early", coding)

    assert shown(client.get(DIRECTORY)) == ["early", "late"]


def test_sorting_by_sessions_and_by_rating(client, now, coding):
    listed("busy", coding, sessions_given=40, rating_count=3, rating_total=9)
    listed("rated", coding, sessions_given=5, rating_count=4, rating_total=20)
    listed("new", coding, sessions_given=1, rating_count=2, rating_total=10)

    assert shown(client.get(DIRECTORY, {"sort": "sessions"})) == ["busy", "rated", "new"]
    # Two ratings give no average yet: last, however good.
    assert shown(client.get(DIRECTORY, {"sort": "rating"})) == ["rated", "busy", "new"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"type": "nonsense"}, "Select a valid choice."),
        ({"company": "Nowhere Ltd"}, "No company is called “Nowhere Ltd”."),
        ({"page": "x"}, "Enter a whole number."),
        ({"sort": "price"}, "Select a valid choice."),
    ],
)
def test_a_bad_value_is_ignored_with_a_message(client, now, coding, query, message):
    listed("ananya", coding)

    response = client.get(DIRECTORY, query)

    assert response.status_code == 200
    assert shown(response) == ["ananya"]
    assert "We ignored part of this address" in response.content.decode()
    assert message in response.content.decode()


def test_no_match_suggests_dropping_one_filter(client, now, coding):
    listed("ananya", coding, companies=["Google"])

    html = client.get(DIRECTORY, {"company": "google", "seniority": "director"}).content.decode()

    assert "No interviewers match these filters" in html
    assert '<a href="?company=google">Show any level</a>' in html
    assert '<a href="?seniority=director">Show any company</a>' in html


def test_an_htmx_request_gets_the_results_alone(client, now, coding):
    listed("ananya", coding)

    html = client.get(DIRECTORY, headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html


def test_the_profile_page_books_with_the_interviewer(client, now, coding):
    listed("ananya", coding, display_name="Ananya Iyer")

    html = client.get(reverse("catalogue:interviewer", kwargs={"slug": "ananya"})).content.decode()

    assert 'href="/interviews/coding/book/?interviewer=ananya">Book with Ananya Iyer</a>' in html


# Company list, language list, types for the form; one read of the database cache and the
# schedule version; every match (narrow) and their types; whether the table of open starts may
# be read (not built here), weekly hours, overrides, time off and bookings; the cache's writes
# (the version, the "computing" mark taken and dropped, the order and next free times); the
# page's profiles, their types, companies and languages; the reliability badges.
DIRECTORY_QUERIES = 33


def reliable_on_page(response) -> list[str]:
    """The slugs of the cards showing the reliability badge."""
    html = response.content.decode()
    return [
        part.split('"', 1)[0]
        for part in html.split('data-interviewer="')[1:]
        if "data-reliable" in part.split("</article>", 1)[0]
    ]


def test_the_reliable_badge_needs_sessions_and_no_missed_or_late_cancelled_one_in_90_days(
    client, now, coding
):
    reliable = listed("reliable", coding, sessions_given=5)
    listed("newcomer", coding, sessions_given=2)
    missed = listed("missed", coding, sessions_given=5)
    late = listed("late", coding, sessions_given=5)
    long_ago = listed("long-ago", coding, sessions_given=5)
    candidate = UserFactory()

    def session(interviewer, starts_at, **fields):
        booking = past_session(
            candidate=candidate, interviewer=interviewer, interview_type=coding, starts_at=starts_at
        )
        Booking.objects.filter(pk=booking.pk).update(**fields)

    session(reliable, now - datetime.timedelta(days=3))  # completed: fine
    session(missed, now - datetime.timedelta(days=3), status="no_show", no_show_side="interviewer")
    session(
        late,
        now + datetime.timedelta(hours=10),
        status="cancelled",
        cancelled_by="interviewer",
        cancelled_at=now - datetime.timedelta(hours=1),
    )
    session(
        long_ago, now - datetime.timedelta(days=91), status="no_show", no_show_side="interviewer"
    )

    response = client.get(DIRECTORY, {"sort": "sessions"})
    assert sorted(reliable_on_page(response)) == ["long-ago", "reliable"]
    assert (
        "none missed or cancelled by the interviewer within 24 hours" in response.content.decode()
    )

    # A no-show doesn't change the schedule's version: the badge goes on the next view anyway.
    session(
        reliable, now - datetime.timedelta(days=1), status="no_show", no_show_side="interviewer"
    )
    assert reliable_on_page(client.get(DIRECTORY, {"sort": "sessions"})) == ["long-ago"]
    assert reliable_on_page(client.get(DIRECTORY)) == ["long-ago"]


# Once the order and next free times are in the cache (and in this process's copy of it, so
# not even a cache read): the form's three lists, the page's profiles, their types, companies
# and languages, and the reliability badges (read fresh on every view).
DIRECTORY_QUERIES_WARM = 8


@pytest.mark.parametrize("count", [1, 3])
def test_directory_queries_do_not_grow_with_interviewers(
    client, now, coding, django_assert_num_queries, count
):
    for n in range(count):
        listed(f"person-{n}", coding, companies=["Google"], languages=["English"], sessions_given=3)

    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(DIRECTORY)
    assert len(shown(response)) == count
    with django_assert_num_queries(DIRECTORY_QUERIES_WARM):
        response = client.get(DIRECTORY)
    assert len(shown(response)) == count


@pytest.mark.parametrize("sort", ["soonest", "sessions"])
def test_directory_queries_stay_constant_with_many_interviewers_and_bookings(
    client, now, coding, sort
):
    def queries_with(count: int) -> int:
        for n in range(count):
            profile = listed(f"p{count}-{n}", coding, companies=["Google"], languages=["English"])
            for day in range(3):
                past_session(
                    candidate=UserFactory(),
                    interviewer=profile,
                    interview_type=coding,
                    starts_at=now + datetime.timedelta(days=2 + day, hours=1),
                    status="confirmed",
                )
        from django.db import connection  # noqa: PLC0415 — only this test counts queries by hand
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — same

        clear_caches()  # each count on a cold cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY, {"sort": sort}).status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(20)


@pytest.mark.parametrize("count", [1, 3])
def test_directory_queries_on_the_table_of_open_starts_do_not_grow_with_interviewers(
    client, now, coding, django_assert_num_queries, count
):
    for n in range(count):
        listed(f"person-{n}", coding, companies=["Google"], languages=["English"], sessions_given=3)
    open_starts_rebuild(now=now)

    # As DIRECTORY_QUERIES, with one read of the table for every match's next free time in
    # place of the four kinds of availability rows.
    with django_assert_num_queries(DIRECTORY_QUERIES - 3):
        response = client.get(DIRECTORY)
    assert len(shown(response)) == count
    assert all(card.next_free for card in response.context["cards"])
