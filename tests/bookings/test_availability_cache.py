"""The schedule cache: one read finds a page with the schedule's version, a bump makes every
page stale at once, and one request computes a page while the others serve last minute's. Each
process keeps its own copy of what it read for SLOT_PAGE_LOCAL_SECONDS."""

import contextlib
import datetime

import pytest
import time_machine
from django.db import transaction

from mockri.bookings.availability_cache import (
    COMPUTE_LOCK_SECONDS,
    beside,
    keep_beside,
    keep_versioned,
    rules_changed,
    rules_version,
    schedule_cache_fill,
    schedule_cache_lookup,
    schedule_changed,
    schedule_changed_with_this_transaction,
    schedule_version,
    versioned,
)

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def test_a_kept_value_is_found_until_the_schedule_changes(now, shared_cache):
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")

    assert schedule_cache_lookup("page", now=now).value == "first"
    schedule_changed_with_this_transaction()
    assert schedule_cache_lookup("page", now=now).value is None


def test_while_another_request_computes_the_last_minutes_page_is_served(now, shared_cache):
    schedule_cache_fill(schedule_cache_lookup("page", now=now - MINUTE), lambda: "last minute")
    lookup = schedule_cache_lookup("page", now=now)
    shared_cache.add(f"{lookup.minute_key}:{lookup.version}:computing", True, COMPUTE_LOCK_SECONDS)

    def compute():
        raise AssertionError("computed twice")

    assert schedule_cache_fill(lookup, compute) == "last minute"


def test_with_nothing_to_serve_a_request_waits_for_the_one_computing(
    now, shared_cache, monkeypatch
):
    lookup = schedule_cache_lookup("page", now=now)
    mark = f"{lookup.minute_key}:{lookup.version}:computing"
    shared_cache.add(mark, True, COMPUTE_LOCK_SECONDS)

    def the_other_request_finishes(seconds):
        shared_cache.set(lookup.minute_key, (lookup.version, "theirs"), 120)

    monkeypatch.setattr("mockri.bookings.availability_cache.time.sleep", the_other_request_finishes)

    assert schedule_cache_fill(lookup, lambda: "mine") == "theirs"


def test_a_request_computes_when_the_one_computing_went_away(now, shared_cache, monkeypatch):
    lookup = schedule_cache_lookup("page", now=now)
    mark = f"{lookup.minute_key}:{lookup.version}:computing"
    shared_cache.add(mark, True, COMPUTE_LOCK_SECONDS)
    monkeypatch.setattr(
        "mockri.bookings.availability_cache.time.sleep", lambda seconds: shared_cache.delete(mark)
    )

    assert schedule_cache_fill(lookup, lambda: "mine") == "mine"
    assert schedule_cache_lookup("page", now=now).value == "mine"


@contextlib.contextmanager
def another_process(settings):
    """What runs inside runs in another web process: the same database and shared cache, its
    own memory."""
    ours = settings.CACHES
    settings.CACHES = {**ours, "process": {**ours["process"], "LOCATION": "another-process"}}
    try:
        yield
    finally:
        settings.CACHES = ours


def test_a_page_read_again_soon_costs_no_round_trip_to_the_shared_cache(
    now, shared_cache, monkeypatch
):
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")

    def round_trip(keys):
        raise AssertionError(f"asked the shared cache for {keys}")

    monkeypatch.setattr(shared_cache, "get_many", round_trip)
    assert schedule_cache_lookup("page", now=now).value == "first"


@pytest.fixture
def asked(shared_cache, monkeypatch):
    """The keys of each round trip to the shared cache from here on."""
    asked = []
    get_many = shared_cache.get_many

    def recording(keys):
        asked.append(list(keys))
        return get_many(keys)

    monkeypatch.setattr(shared_cache, "get_many", recording)
    return asked


def test_a_viewers_own_keys_beside_a_page_held_here_come_alone_from_the_shared_cache(
    now, shared_cache, request
):
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")
    shared_cache.set("frame", "kept by another process", 60)
    asked = request.getfixturevalue("asked")
    lookup = schedule_cache_lookup("page", now=now, also=("frame",))

    assert (lookup.value, lookup.also) == ("first", {"frame": "kept by another process"})
    assert asked == [["frame"]]


def test_another_processes_change_shows_here_once_the_local_copy_runs_out(
    now, shared_cache, settings
):
    settings.SLOT_PAGE_LOCAL_SECONDS = 2
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")

    with another_process(settings):
        schedule_changed_with_this_transaction()
        assert schedule_cache_lookup("page", now=now).value is None

    assert schedule_cache_lookup("page", now=now).value == "first"
    with time_machine.travel(now + datetime.timedelta(seconds=3), tick=False):
        assert schedule_cache_lookup("page", now=now).value is None


def test_with_no_local_copy_another_processes_change_shows_at_once(now, shared_cache, settings):
    settings.SLOT_PAGE_LOCAL_SECONDS = 0
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")

    with another_process(settings):
        schedule_changed_with_this_transaction()

    assert schedule_cache_lookup("page", now=now).value is None


def test_this_processes_own_change_shows_here_at_once(now, shared_cache, settings):
    settings.SLOT_PAGE_LOCAL_SECONDS = 10
    schedule_cache_fill(schedule_cache_lookup("page", now=now), lambda: "first")

    schedule_changed_with_this_transaction()

    assert schedule_cache_lookup("page", now=now).value is None


def test_a_viewers_own_values_stay_here_after_the_pages_copy_runs_out(
    now, shared_cache, settings, request
):
    settings.SLOT_PAGE_LOCAL_SECONDS = 1
    lookup = schedule_cache_lookup("page", now=now, also=("own", "frame"))
    schedule_cache_fill(lookup, lambda: "first")
    keep_versioned(lookup, "own", ["their session"])
    keep_beside("frame", "their frame", 60)
    asked = request.getfixturevalue("asked")
    with time_machine.travel(now + datetime.timedelta(seconds=30), tick=False):
        later = schedule_cache_lookup("page", now=now, also=("own", "frame"))

    assert later.value == "first"
    assert (versioned(later, "own"), beside(later, "frame")) == (["their session"], "their frame")
    assert len(asked) == 1 and "own" not in asked[0] and "frame" not in asked[0]


def test_a_viewers_sessions_kept_here_are_not_used_once_the_schedule_changed(
    now, shared_cache, settings
):
    settings.SLOT_PAGE_LOCAL_SECONDS = 1
    lookup = schedule_cache_lookup("page", now=now, also=("own",))
    keep_versioned(lookup, "own", ["their session"])

    with another_process(settings):
        schedule_changed_with_this_transaction()
    with time_machine.travel(now + datetime.timedelta(seconds=5), tick=False):
        later = schedule_cache_lookup("page", now=now, also=("own",))

    assert versioned(later, "own") is None


def test_a_frame_copied_here_late_is_not_served_past_its_time(now, shared_cache, settings):
    settings.SLOT_PAGE_LOCAL_SECONDS = 1
    with another_process(settings):
        keep_beside("frame", "their frame", 60)
    with time_machine.travel(now + datetime.timedelta(seconds=50), tick=False):
        read_late = schedule_cache_lookup("page", now=now, also=("frame",))
        assert beside(read_late, "frame") == "their frame"  # now kept here as well

    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        after = schedule_cache_lookup("page", now=now, also=("frame",))

        assert beside(after, "frame") is None


def test_a_marker_reads_nought_until_its_first_change_then_counts_each_one():
    assert (schedule_version(), rules_version()) == (0, 0)

    schedule_changed_with_this_transaction()  # no row yet: the first change makes it
    schedule_changed_with_this_transaction()
    rules_changed()  # the rules' marker now; the pages' once the transaction commits

    assert (schedule_version(), rules_version()) == (2, 1)


def test_the_schedule_marker_moves_once_the_transaction_that_changed_it_commits(
    django_capture_on_commit_callbacks,
):
    before = schedule_version()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        schedule_changed()
        assert schedule_version() == before

    assert schedule_version() == before + 1
