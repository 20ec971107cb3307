"""A candidate's scores on one criterion across their sessions, laid out for a small line chart
the server draws as inline SVG (templates/feedback/includes/trend.html). Pure functions."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from .enums import Score

# The chart's box, in SVG user units; the template scales it with CSS.
WIDTH = 240
HEIGHT = 72
PADDING = 10
# The most recent sessions drawn; older ones stay in the scorecards themselves.
SESSIONS_MAX = 8
_LOWEST, _HIGHEST = min(Score.values), max(Score.values)


@dataclass(frozen=True)
class Point:
    starts_at: datetime.datetime
    score: int
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    key: str
    label: str
    points: tuple[Point, ...]

    @property
    def polyline(self) -> str:
        """The `points` attribute of the SVG polyline through the scores."""
        return " ".join(f"{point.x:g},{point.y:g}" for point in self.points)

    @property
    def change(self) -> int:
        """The latest score minus the first drawn."""
        return self.points[-1].score - self.points[0].score

    @property
    def change_words(self) -> str:
        """The change in words: "up 2", "down 1" or "steady"."""
        change = self.change
        if change == 0:
            return "steady"
        return f"{'up' if change > 0 else 'down'} {abs(change)}"

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        """(score, y) of a horizontal line per score, for the chart's scale."""
        return [(score, _y(score)) for score in range(_HIGHEST, _LOWEST - 1, -1)]


def _y(score: int) -> float:
    span = HEIGHT - 2 * PADDING
    return round(PADDING + (_HIGHEST - score) * span / (_HIGHEST - _LOWEST), 1)


def _x(index: int, count: int) -> float:
    span = WIDTH - 2 * PADDING
    return round(PADDING + (index * span / (count - 1) if count > 1 else span / 2), 1)


def trend_of(key: str, label: str, scores: Sequence[tuple[datetime.datetime, int]]) -> Trend:
    """The trend through (session start, score) pairs, oldest first; the latest SESSIONS_MAX."""
    recent = list(scores)[-SESSIONS_MAX:]
    points = tuple(
        Point(starts_at=starts_at, score=score, x=_x(index, len(recent)), y=_y(score))
        for index, (starts_at, score) in enumerate(recent)
    )
    return Trend(key=key, label=label, points=points)


def trends_from_rows(
    rows: Sequence[tuple[str, str, int, datetime.datetime]], *, order: Sequence[str]
) -> list[Trend]:
    """Trends from (criterion, label, score, session start) rows sorted by session, in the
    order of `order`, for criteria scored in more than one session. The latest label names the
    criterion."""
    scores: dict[str, list[tuple[datetime.datetime, int]]] = {}
    labels: dict[str, str] = {}
    for key, label, score, starts_at in rows:
        scores.setdefault(key, []).append((starts_at, score))
        labels[key] = label
    return [
        trend_of(key, labels[key], scores[key]) for key in order if len(scores.get(key, ())) > 1
    ]
