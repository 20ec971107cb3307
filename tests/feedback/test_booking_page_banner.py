"""The booking page of a completed session says where the feedback is only once."""

import pytest

from mockri.feedback.services import feedback_submit
from tests.feedback.conftest import AFTER, scorecard

pytestmark = pytest.mark.django_db


def test_with_feedback_written_the_page_does_not_promise_it_will_appear(
    client, completed, candidate, interviewer
):
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())
    client.force_login(candidate)

    page = client.get(completed.get_absolute_url()).content.decode()

    assert "Clarified the constraints before coding." in page
    assert "will appear here" not in page


def test_before_feedback_the_page_says_once_that_it_is_being_written(client, completed, candidate):
    client.force_login(candidate)

    page = client.get(completed.get_absolute_url()).content.decode()

    assert page.count("Your interviewer is writing your feedback.") == 1
    assert "will appear here" not in page
