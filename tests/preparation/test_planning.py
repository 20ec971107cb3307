"""The plan worked back from a real interview date (mockri.preparation.planning): pure functions,
tested on plain data."""

import datetime
from zoneinfo import ZoneInfo

from mockri.preparation.planning import (
    Opening,
    Session,
    StepInput,
    StepStatus,
    Verdict,
    plan_deadline,
    plan_propose,
)

IST = ZoneInfo("Asia/Kolkata")
ZONE = "Asia/Kolkata"
# Tuesday 1 December 2026, 09:00 in India.
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=IST)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
CODING, DESIGN, BEHAVIOURAL = 1, 2, 3


def at(day: int, hour: int = 10) -> datetime.datetime:
    """December `day`, `hour`:00 in India."""
    return datetime.datetime(2026, 12, day, hour, tzinfo=IST)


def daily(*interviewers: int, first: int = 1, last: int = 31, hour: int = 10) -> tuple:
    """Each interviewer free at `hour` every day of December from `first` to `last`."""
    return tuple(
        sorted(
            Opening(at(day, hour), at(day, hour) + HOUR, interviewer)
            for day in range(first, last + 1)
            for interviewer in interviewers
        )
    )


def steps(openings=None, **booked) -> list[StepInput]:
    openings = daily(7) if openings is None else openings
    return [
        StepInput(type_id, openings, booked=booked.get(name), bookable_until=NOW + 30 * DAY)
        for name, type_id in (("coding", CODING), ("design", DESIGN), ("behavioural", BEHAVIOURAL))
    ]


def propose(interview_on=datetime.date(2026, 12, 20), *, now=NOW, match=None, **kwargs):
    return plan_propose(
        interview_on=interview_on,
        zone=ZONE,
        now=now,
        steps=kwargs.pop("plan_steps", None) or steps(),
        match=match or {},
        **kwargs,
    )


def starts(plan) -> list:
    return [step.opening.start if step.opening else None for step in plan.steps]


def test_the_deadline_is_two_days_before_the_interview_day_begins_in_the_candidates_zone():
    deadline = plan_deadline(interview_on=datetime.date(2026, 12, 20), zone=ZONE)

    assert deadline == datetime.datetime(2026, 12, 18, tzinfo=IST)
    assert deadline.tzinfo == datetime.UTC


def test_three_weeks_ahead_the_plan_spreads_one_session_per_type_over_the_time_left():
    plan = propose()

    # 1 Dec 09:00 to the deadline (18 Dec 00:00) in three equal parts of 5 days 13 hours,
    # starting 1 Dec 09:00, 6 Dec 22:00 and 12 Dec 11:00: each takes its first free time.
    assert plan.verdict == Verdict.ON_TRACK
    assert [step.type_id for step in plan.steps] == [CODING, DESIGN, BEHAVIOURAL]
    assert [step.status for step in plan.steps] == [StepStatus.SUGGESTED] * 3
    assert starts(plan) == [at(1), at(7), at(13)]
    assert all(step.opening.end <= plan.deadline for step in plan.steps)


def test_an_interview_months_away_gets_its_sessions_in_the_weeks_just_before_it():
    openings = daily(7, first=1, last=31)

    plan = propose(datetime.date(2027, 1, 3), plan_steps=steps(openings))

    # Deadline 1 January 00:00: three parts of a week each, from 11 December.
    assert starts(plan) == [at(11), at(18), at(25)]


def test_parts_beyond_the_interviewers_horizon_open_later_with_the_date_they_open():
    openings = daily(7, first=1, last=31)
    plan_steps = [
        StepInput(s.type_id, openings, bookable_until=NOW + 30 * DAY) for s in steps(openings)
    ]

    plan = propose(datetime.date(2027, 2, 28), plan_steps=plan_steps)

    # Deadline 26 February; parts start 5, 12 and 19 February, all beyond 31 December.
    assert plan.verdict == Verdict.ON_TRACK
    assert [step.status for step in plan.steps] == [StepStatus.OPENS_LATER] * 3
    first = datetime.datetime(2027, 2, 5, tzinfo=IST)
    assert plan.steps[0].opens_at == first - 30 * DAY


def test_the_best_matching_interviewer_is_suggested_within_a_part_even_if_later():
    openings = tuple(sorted(daily(7) + daily(8, hour=15)))

    plan = propose(plan_steps=steps(openings), match={8: 3, 7: 1})

    assert [step.opening.interviewer_id for step in plan.steps] == [8, 8, 8]
    assert starts(plan) == [at(1, 15), at(7, 15), at(12, 15)]


def test_a_plan_never_starts_earlier_than_a_week_per_session_before_the_deadline():
    # Interviewers are free in early December; the interview is on 1 February, so the plan's
    # parts start 9, 16 and 23 January, beyond the 30 days interviewers take bookings for.
    plan = propose(datetime.date(2027, 2, 1), plan_steps=steps(daily(7, first=1, last=5)))

    assert [step.status for step in plan.steps] == [StepStatus.OPENS_LATER] * 3
    assert plan.steps[0].opens_at == datetime.datetime(2027, 1, 9, tzinfo=IST) - 30 * DAY


def test_a_booked_session_is_a_done_part_and_the_rest_take_the_parts_left():
    booked = Session(booking_id=41, start=at(3), end=at(3) + HOUR)

    plan = propose(plan_steps=steps(design=booked))

    assert [step.status for step in plan.steps] == [
        StepStatus.SUGGESTED,
        StepStatus.BOOKED,
        StepStatus.SUGGESTED,
    ]
    assert plan.steps[1].booked == booked
    assert plan.to_book == 2
    # Parts from 1 Dec 09:00, 6 Dec 22:00 and 12 Dec 11:00: the booked session is in the first,
    # so the others take the second and the third, spaced from it.
    assert starts(plan) == [at(7), None, at(13)]


def test_a_session_booked_late_in_the_plan_leaves_the_earlier_parts_to_the_others():
    booked = Session(booking_id=41, start=at(15), end=at(15) + HOUR)

    plan = propose(plan_steps=steps(coding=booked))

    assert starts(plan) == [None, at(1), at(7)]


def test_suggestions_avoid_the_candidates_other_sessions():
    booked = Session(booking_id=41, start=at(1, 10), end=at(1, 11))
    openings = tuple(sorted(daily(7) + daily(8, hour=11)))

    plan = propose(
        datetime.date(2026, 12, 12),
        plan_steps=steps(openings, behavioural=booked),
        busy=[(at(4, 10), at(4, 11))],  # another session of the candidate
    )

    # Parts of 2 days 21 hours from 1 Dec 09:00; the booked session has the first. Coding's
    # starts 4 Dec 06:00, when the candidate is busy at 10:00: 11:00 with interviewer 8 it is.
    assert plan.steps[0].opening == Opening(at(4, 11), at(4, 12), 8)
    assert starts(plan)[1] == at(7, 10)


def test_a_suggestion_never_shares_a_day_with_a_booked_session():
    booked = Session(booking_id=41, start=at(1, 10), end=at(1, 11))
    openings = (Opening(at(1, 15), at(1, 16), 8), Opening(at(5, 10), at(5, 11), 7))

    plan = propose(datetime.date(2026, 12, 12), plan_steps=steps(openings, behavioural=booked))

    assert starts(plan) == [at(5), None, None]
    assert plan.steps[1].status == StepStatus.NO_TIME


def test_when_every_session_is_booked_the_plan_is_on_track_with_nothing_to_book():
    plan = propose(
        plan_steps=steps(
            coding=Session(1, at(2), at(2) + HOUR),
            design=Session(2, at(5), at(5) + HOUR),
            behavioural=Session(3, at(9), at(9) + HOUR),
        )
    )

    assert plan.verdict == Verdict.ON_TRACK
    assert plan.to_book == 0


def test_a_cancelled_session_simply_drops_out_and_its_type_is_suggested_again():
    # The caller passes only sessions that still hold: a cancelled one is no longer booked.
    before = propose(plan_steps=steps(coding=Session(1, at(2), at(2) + HOUR)))
    after = propose()

    assert before.steps[0].status == StepStatus.BOOKED
    assert after.steps[0].status == StepStatus.SUGGESTED


def test_a_moved_date_moves_the_plan():
    sooner = propose(datetime.date(2026, 12, 10))
    later = propose(datetime.date(2026, 12, 20))

    # Deadline 8 Dec 00:00: parts of 2 days 5 hours, from 1 Dec 09:00, 3 Dec 14:00, 5 Dec 19:00.
    assert starts(sooner) == [at(1), at(4), at(6)]
    assert starts(later) != starts(sooner)


def test_with_too_few_days_left_the_plan_says_which_sessions_no_longer_fit():
    # Deadline 4 Dec 00:00: 1, 2 and 3 December are left, and one day is taken.
    plan = propose(
        datetime.date(2026, 12, 6),
        plan_steps=steps(daily(7, first=2, last=3)),
    )

    assert plan.verdict == Verdict.TIGHT
    assert [step.status for step in plan.steps] == [
        StepStatus.SUGGESTED,
        StepStatus.SUGGESTED,
        StepStatus.NO_TIME,
    ]
    assert starts(plan) == [at(2), at(3), None]


def test_an_interview_within_two_days_is_too_late_for_a_plan():
    plan = propose(datetime.date(2026, 12, 3))

    assert plan.verdict == Verdict.TOO_LATE
    assert plan.deadline == at(1, 0)
    assert [step.status for step in plan.steps] == [StepStatus.NO_TIME] * 3


def test_too_late_keeps_the_sessions_already_booked():
    booked = Session(1, at(1, 12), at(1, 13))

    plan = propose(datetime.date(2026, 12, 3), plan_steps=steps(coding=booked))

    assert [step.status for step in plan.steps] == [
        StepStatus.BOOKED,
        StepStatus.NO_TIME,
        StepStatus.NO_TIME,
    ]


def test_an_interview_date_in_the_past_has_no_plan():
    plan = propose(datetime.date(2026, 11, 30))

    assert (plan.verdict, plan.deadline, plan.steps) == (Verdict.PASSED, None, ())


def test_the_interview_day_itself_is_today_in_the_candidates_zone_not_in_utc():
    # 1 Dec 00:30 in India is still 30 November in UTC: an interview "today" is not past.
    just_after_midnight = datetime.datetime(2026, 12, 1, 0, 30, tzinfo=IST)

    plan = propose(datetime.date(2026, 12, 1), now=just_after_midnight)

    assert plan.verdict == Verdict.TOO_LATE


def test_no_free_interviewer_for_a_type_leaves_that_session_without_a_time():
    plan_steps = steps()
    plan_steps[1] = StepInput(DESIGN, (), bookable_until=None)

    plan = propose(plan_steps=plan_steps)

    assert plan.verdict == Verdict.TIGHT
    assert [step.status for step in plan.steps] == [
        StepStatus.SUGGESTED,
        StepStatus.NO_TIME,
        StepStatus.SUGGESTED,
    ]


def test_openings_ending_after_the_deadline_or_already_started_are_never_suggested():
    openings = (
        Opening(at(1, 8), at(1, 9), 7),  # before now
        Opening(at(17, 23), at(18, 0) + HOUR, 7),  # ends after the deadline
    )

    plan = propose(plan_steps=steps(openings))

    assert [step.status for step in plan.steps] == [StepStatus.NO_TIME] * 3


def test_a_role_with_no_interview_types_has_an_empty_plan():
    plan = plan_propose(
        interview_on=datetime.date(2026, 12, 20), zone=ZONE, now=NOW, steps=[], match={}
    )

    assert (plan.verdict, plan.steps, plan.to_book) == (Verdict.ON_TRACK, (), 0)
