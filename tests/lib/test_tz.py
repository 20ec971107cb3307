"""Zones are known by their canonical IANA name, whatever name a browser reports."""

import zoneinfo

import pytest

from mockri.lib.tz import canonical_timezone, canonical_timezones


@pytest.mark.parametrize(
    ("reported", "canonical"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("UTC", "UTC"),
    ],
)
def test_an_old_zone_name_becomes_the_canonical_one(reported, canonical):
    assert canonical_timezone(reported) == canonical


def test_the_zones_offered_are_canonical_names_only():
    offered = canonical_timezones()

    assert {"Asia/Kolkata", "Europe/London", "UTC"} <= set(offered)
    assert not {"Asia/Calcutta", "Europe/Kiev", "US/Eastern"} & set(offered)
    assert all(canonical_timezone(zone) == zone for zone in offered)
    assert list(offered) == sorted(offered)


def test_every_canonical_name_is_a_zone_that_keeps_the_same_rules():
    # A link and its target are the same zone: canonicalising never changes a shown time.
    for link in ("Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires"):
        target = canonical_timezone(link)
        assert zoneinfo.ZoneInfo(target).utcoffset(None) == zoneinfo.ZoneInfo(link).utcoffset(None)
