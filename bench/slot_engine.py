"""The slot engine on a busy marketplace: how long "any available interviewer" takes.

Run: .venv/bin/python bench/slot_engine.py [repeats]
No database: 50 interviewers in mixed zones with two windows on every weekday, a 30-day
horizon and 5,000 bookings spread over them. Prints the first run's milliseconds (the engine
caches each zone's UTC offset per day, so the first run pays for working them out), then the
median and best of the repeats.
"""

import datetime
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockri.scheduling.slots import (
    Interval,
    InterviewerAvailability,
    SchedulingRules,
    WeeklyWindow,
    open_slots,
    open_slots_by_start,
    slot_is_open,
)

ZONES = ["Asia/Kolkata", "Europe/London", "America/New_York", "UTC", "Asia/Singapore"]
INTERVIEWERS = 50
BOOKINGS = 5_000
HORIZON = datetime.timedelta(days=30)
DURATION = datetime.timedelta(minutes=60)
NOW = datetime.datetime(2026, 3, 1, 6, 0, tzinfo=datetime.UTC)  # spans the March DST changes
RULES = SchedulingRules(
    min_notice=datetime.timedelta(hours=12),
    horizon=HORIZON,
    buffer=datetime.timedelta(minutes=15),
    max_per_day=4,
)


def build_interviewers(rng: random.Random) -> list[InterviewerAvailability]:
    bookings_per_interviewer = BOOKINGS // INTERVIEWERS
    interviewers = []
    for interviewer_id in range(1, INTERVIEWERS + 1):
        morning_start = rng.choice([8, 9, 10])
        evening_start = rng.choice([14, 15, 16])
        weekly = tuple(
            WeeklyWindow(
                weekday=weekday,
                start=datetime.time(start_hour),
                end=datetime.time(start_hour + rng.choice([3, 4])),
            )
            for weekday in range(7)
            for start_hour in (morning_start, evening_start)
        )
        busy = []
        for _ in range(bookings_per_interviewer):
            start = NOW + datetime.timedelta(minutes=30 * rng.randrange(30 * 48))
            busy.append(Interval(start=start, end=start + DURATION))
        interviewers.append(
            InterviewerAvailability(
                interviewer_id=interviewer_id,
                timezone=ZONES[interviewer_id % len(ZONES)],
                weekly=weekly,
                overrides=(),
                time_off=(),
                busy=tuple(busy),
                rules=RULES,
            )
        )
    return interviewers


def timed(run: Callable[[], object], *, repeats: int) -> tuple[str, object]:
    """First, median and best milliseconds of `repeats` runs, and the last run's result."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - started) * 1000)
    figures = (
        f"first {timings[0]:.2f} ms, median {statistics.median(timings):.2f} ms, "
        f"best {min(timings):.2f} ms"
    )
    return figures, result


def main(repeats: int) -> None:
    rng = random.Random(2026)
    interviewers = build_interviewers(rng)

    figures, by_start = timed(
        lambda: open_slots_by_start(interviewers, duration=DURATION, now=NOW), repeats=repeats
    )
    offers = sum(len(ids) for ids in by_start.values())
    print(
        f"open_slots_by_start, {INTERVIEWERS} interviewers x 30 days, {BOOKINGS:,} bookings: "
        f"{figures}; {len(by_start):,} distinct starts, {offers:,} interviewer-slots"
    )

    one = interviewers[0]
    two_weeks = NOW + datetime.timedelta(days=14)
    figures, slots = timed(
        lambda: open_slots(one, duration=DURATION, now=NOW, until=two_weeks), repeats=repeats
    )
    print(f"open_slots, one interviewer x 14 days: {figures}; {len(slots)} slots")

    open_starts = [slot.start for slot in slots]
    checks = [rng.choice(open_starts) for _ in range(500)]
    checks += [NOW + datetime.timedelta(minutes=15 * rng.randrange(14 * 96)) for _ in range(500)]
    figures, verdicts = timed(
        lambda: [slot_is_open(one, start=start, duration=DURATION, now=NOW) for start in checks],
        repeats=repeats,
    )
    print(f"slot_is_open x {len(checks):,}: {figures}; {sum(verdicts)} open")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
