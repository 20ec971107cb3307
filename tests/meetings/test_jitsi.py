"""Jitsi: links minted locally, no network, no credentials."""

import re

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_reschedule
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.providers import get_provider
from mockri.meetings.providers.jitsi import JitsiProvider, new_room_name
from mockri.meetings.selectors import meeting_current_link_for
from mockri.meetings.services import meeting_create_for, meeting_request_for, meeting_update_for
from tests.fixtures import SLOT_BOTH

ROOM = re.compile(r"mockri-[a-z0-9]{24}")


def test_a_room_name_is_mockri_and_24_random_lowercase_letters_or_digits():
    assert ROOM.fullmatch(new_room_name())


def test_room_names_do_not_repeat():
    names = {new_room_name() for _ in range(2000)}

    assert len(names) == 2000


def test_jitsi_is_the_default_provider(settings):
    assert settings.MEETING_PROVIDER == "jitsi"
    assert get_provider().name == "jitsi"


def test_a_jitsi_meeting_is_a_link_on_the_configured_server(booking):
    details = JitsiProvider(base_url="https://jitsi.example.org/").create(
        meeting_request_for(booking)
    )

    assert details.provider == "jitsi"
    assert ROOM.fullmatch(details.external_id)
    assert details.url == f"https://jitsi.example.org/{details.external_id}"


def test_creating_the_meeting_of_a_confirmed_booking_gives_it_a_meet_jit_si_link(booking):
    meeting = meeting_create_for(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.READY
    assert re.fullmatch(r"https://meet\.jit\.si/mockri-[a-z0-9]{24}", meeting.url)
    assert meeting_current_link_for(booking) == meeting.url
    assert (meeting.attempts, meeting.last_error) == (0, "")


def test_creating_twice_keeps_the_first_room(booking):
    first = meeting_create_for(booking_id=booking.pk)
    second = meeting_create_for(booking_id=booking.pk)

    assert second.pk == first.pk
    assert second.url == first.url


def test_moving_the_session_keeps_the_room(booking, interviewer):
    meeting = meeting_create_for(booking_id=booking.pk)
    booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )

    moved = meeting_update_for(booking_id=booking.pk)

    assert moved.url == meeting.url
    assert moved.synced_version == 2
    assert moved.starts_at == SLOT_BOTH


def test_cancelling_a_jitsi_meeting_calls_nothing(booking):
    provider = JitsiProvider(base_url="https://meet.jit.si")

    assert provider.cancel("mockri-abc", reason="No longer needed.") is None
