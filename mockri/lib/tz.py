import zoneinfo
from functools import cache
from importlib import resources


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


@cache
def _zone_links() -> dict[str, str]:
    """Old or alternative zone names and the canonical zone each one is a link to, read from the
    IANA database shipped in the tzdata package ("L <target> <link>" lines of tzdata.zi): browsers
    built on ICU still report Asia/Calcutta, Europe/Kiev or Asia/Saigon."""
    text = (resources.files("tzdata.zoneinfo") / "tzdata.zi").read_text(encoding="utf-8")
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, link = line.split()
            # UTC, GMT and their spellings stay as they are: "Etc/UTC" would read worse than "UTC".
            if not target.startswith("Etc/"):
                links[link] = target
    return links


def canonical_timezone(name: str) -> str:
    """The zone's canonical IANA name: Asia/Calcutta becomes Asia/Kolkata, so one place has one
    name wherever it is stored or compared."""
    return _zone_links().get(name, name)


@cache
def canonical_timezones() -> tuple[str, ...]:
    """Every zone a person can choose, each under its canonical name only, sorted."""
    links = _zone_links()
    return tuple(sorted(zone for zone in available_timezones() if zone not in links))
