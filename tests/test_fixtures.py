"""The shared fixtures keep tests independent of today's date."""

from django.utils import timezone

from tests.fixtures import NOW


def test_the_cast_joins_and_acts_under_the_frozen_clock(
    candidate, other_candidate, interviewer, other_interviewer, staff
):
    cast = [candidate, other_candidate, interviewer, other_interviewer, staff]

    assert [person.date_joined for person in cast] == [NOW] * 5
    assert timezone.now() == NOW
