"""One way to write a time everywhere Mockri shows one: "4:35 pm IST", always with its zone."""

import datetime

from django import template

register = template.Library()


def time_label(moment: datetime.datetime | datetime.time) -> str:
    """'7:30 pm', without the zone: for lists of times under one heading that names the zone (the
    slot picker formats hundreds per page, so this avoids the template engine's date filter)."""
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def zone_label(moment: datetime.datetime) -> str:
    """The zone's abbreviation at that moment ("IST", "BST"), or its offset where the zone has no
    abbreviation ("UTC+04" for Asia/Dubai, whose database name for it is just "+04")."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


# In templates the engine hands these filters the time in the active zone (the viewer's own on
# pages, the recipient's in emails), or in the zone a `|timezone:` filter converted it to.
@register.filter(expects_localtime=True)
def clock(moment: datetime.datetime | None) -> str:
    """'4:35 pm IST'."""
    if not moment:
        return ""
    return f"{time_label(moment)} {zone_label(moment)}"


@register.filter(expects_localtime=True)
def time_of_day(moment: datetime.datetime | None) -> str:
    """'4:35 pm': the start of a range whose end carries the zone ("4:35 pm to 5:35 pm IST")."""
    return time_label(moment) if moment else ""


@register.filter(expects_localtime=True)
def when(moment: datetime.datetime | None) -> str:
    """'Tue 1 Dec, 4:35 pm IST': a day and a time, for lists and timelines."""
    if not moment:
        return ""
    return f"{moment:%a} {moment.day} {moment:%b}, {clock(moment)}"
