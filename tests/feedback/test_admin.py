"""Staff read scorecards and ratings in the admin; nobody writes them there."""

import pytest
from django.urls import reverse

from mockri.feedback.models import Feedback, Rating
from mockri.feedback.services import feedback_submit, rating_submit
from tests.feedback.conftest import AFTER, scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(completed, candidate, interviewer):
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())
    rating_submit(booking=completed, candidate=candidate, score=5, comment="Great", now=AFTER)
    return completed


def test_staff_read_scorecards_and_ratings(client, reviewed, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    feedback, rating = Feedback.objects.get(), Rating.objects.get()

    pages = [
        client.get(reverse("admin:feedback_feedback_changelist")),
        client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk])),
        client.get(reverse("admin:feedback_rating_changelist")),
        client.get(reverse("admin:feedback_rating_change", args=[rating.pk])),
    ]

    assert [page.status_code for page in pages] == [200] * 4
    assert reviewed.reference in pages[0].content.decode()
    assert "Clarified the constraints before coding." in pages[1].content.decode()
    assert "Problem solving" in pages[1].content.decode()
    assert "Great" in pages[3].content.decode()


def test_nobody_adds_changes_or_deletes_them_in_the_admin(client, reviewed, staff, two_factor):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)
    feedback = Feedback.objects.get()

    add = client.get(reverse("admin:feedback_feedback_add"))
    change = client.post(
        reverse("admin:feedback_feedback_change", args=[feedback.pk]), {"hire_signal": "no"}
    )
    delete = client.post(
        reverse("admin:feedback_rating_delete", args=[Rating.objects.get().pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert Feedback.objects.get().hire_signal == "yes"
    assert Rating.objects.exists()


def test_people_who_are_not_staff_do_not_reach_them(client, reviewed, candidate):
    client.force_login(candidate)

    response = client.get(reverse("admin:feedback_feedback_changelist"))

    assert response.status_code == 302
