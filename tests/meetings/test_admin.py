"""Staff read meetings in the admin and act on them through the services."""

from django.urls import reverse

from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting


def test_staff_can_replace_a_meeting_with_a_link_from_another_provider(
    client, booking, staff, two_factor
):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)
    meeting = Meeting.objects.create(
        booking=booking, provider="google", last_error="Google Calendar answered 500"
    )
    url = reverse("admin:meetings_meeting_changelist")

    listing = client.get(url)
    response = client.post(
        url, {"action": "fall_back", "_selected_action": [meeting.pk]}, follow=True
    )

    assert listing.status_code == 200
    assert booking.reference in listing.content.decode()
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == "Replaced by staff. Last error: Google Calendar answered 500"
    assert meeting.url.startswith("https://meet.jit.si/mockri-")


def test_webhook_deliveries_are_listed(client, staff, two_factor):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)

    response = client.get(reverse("admin:meetings_webhookdelivery_changelist"))

    assert response.status_code == 200
