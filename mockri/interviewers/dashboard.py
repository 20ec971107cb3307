"""Panels other apps put on the interviewer dashboard, e.g. the earnings app's "this month"
and "latest statement" and its reliability record. Each registers a Widget from its
AppConfig.ready(); the dashboard renders them in the slot they name, in registration order."""

import dataclasses
import datetime
from collections.abc import Callable

from mockri.catalogue.models import InterviewerProfile

EARNINGS = "earnings"
RELIABILITY = "reliability"
SLOTS = (EARNINGS, RELIABILITY)


@dataclasses.dataclass(frozen=True)
class Widget:
    key: str
    slot: str  # EARNINGS or RELIABILITY
    # Included with the dict `context` returns as `data`, e.g. "earnings/includes/month.html".
    template: str
    context: Callable[[InterviewerProfile, datetime.datetime], dict]


@dataclasses.dataclass(frozen=True)
class RenderedWidget:
    template: str
    context: dict


_widgets: dict[str, Widget] = {}


def widget_register(widget: Widget) -> None:
    if widget.slot not in SLOTS:
        raise ValueError(f"A dashboard widget goes in one of {SLOTS}, not {widget.slot!r}.")
    _widgets[widget.key] = widget


def dashboard_widgets(
    profile: InterviewerProfile, now: datetime.datetime
) -> dict[str, list[RenderedWidget]]:
    """Each slot's widgets with their context, for the dashboard template."""
    slots: dict[str, list[RenderedWidget]] = {slot: [] for slot in SLOTS}
    for widget in _widgets.values():
        slots[widget.slot].append(RenderedWidget(widget.template, widget.context(profile, now)))
    return slots
