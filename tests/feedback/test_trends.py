"""A criterion's scores across sessions, laid out for the inline SVG chart."""

import datetime

from mockri.feedback.trends import HEIGHT, PADDING, SESSIONS_MAX, WIDTH, trend_of, trends_from_rows

DAY = datetime.datetime(2026, 11, 1, 4, 30, tzinfo=datetime.UTC)


def day(n: int) -> datetime.datetime:
    return DAY + datetime.timedelta(days=n)


def test_points_run_left_to_right_and_higher_scores_sit_higher():
    trend = trend_of("communication", "Communication", [(day(0), 1), (day(7), 4)])

    first, last = trend.points
    assert (first.x, first.y) == (PADDING, HEIGHT - PADDING)
    assert (last.x, last.y) == (WIDTH - PADDING, PADDING)
    assert trend.polyline == f"{PADDING},{HEIGHT - PADDING} {WIDTH - PADDING},{PADDING}"


def test_the_change_is_said_in_words():
    assert trend_of("k", "K", [(day(0), 2), (day(1), 4)]).change_words == "up 2"
    assert trend_of("k", "K", [(day(0), 3), (day(1), 2)]).change_words == "down 1"
    assert trend_of("k", "K", [(day(0), 3), (day(1), 3)]).change_words == "steady"


def test_only_the_latest_sessions_are_drawn():
    trend = trend_of("k", "K", [(day(n), 1 + n % 4) for n in range(SESSIONS_MAX + 3)])

    assert len(trend.points) == SESSIONS_MAX
    assert trend.points[0].starts_at == day(3)


def test_one_gridline_per_score_from_the_top():
    assert [score for score, _ in trend_of("k", "K", [(day(0), 1)]).gridlines] == [4, 3, 2, 1]


def test_trends_keep_the_scorecards_order_and_skip_criteria_scored_once():
    rows = [
        ("communication", "Communication", 2, day(0)),
        ("focus-python", "Python", 1, day(0)),
        ("communication", "Communication", 3, day(7)),
        ("focus-python", "python", 3, day(7)),
        ("coding", "Coding", 4, day(7)),
    ]

    trends = trends_from_rows(rows, order=["coding", "focus-python", "communication"])

    assert [(t.key, t.label, [p.score for p in t.points]) for t in trends] == [
        ("focus-python", "python", [1, 3]),
        ("communication", "Communication", [2, 3]),
    ]
