import pytest
import time_machine
from django.urls import reverse

from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.services import booking_cancel, booking_record_outcome
from mockri.feedback.models import Feedback, Rating
from mockri.feedback.services import feedback_submit, rating_submit
from mockri.feedback.templatetags.feedback_panel import feedback_panel_for
from tests.feedback.conftest import AFTER, scorecard
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def write_url(booking) -> str:
    return reverse("feedback:write", kwargs={"reference": booking.reference})


def rate_url(booking) -> str:
    return reverse("feedback:rate", kwargs={"reference": booking.reference})


def form_data(**changes) -> dict:
    data = {
        "score__problem_solving": "3",
        "score__communication": "4",
        "hire_signal": "yes",
        "strengths": "Clarified the constraints before coding.",
        "areas_to_improve": "Test the empty input first.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_after_the_session_the_interviewer_writes_feedback_from_the_booking_page(
    as_interviewer, session, after
):
    page = as_interviewer.get(session.get_absolute_url()).content.decode()
    form = as_interviewer.get(write_url(session))
    response = as_interviewer.post(write_url(session), form_data())

    assert write_url(session) in page
    assert "Submitting the scorecard also marks the session completed" in page
    assert form.status_code == 200
    for text in ["Problem solving", "Finds an approach.", "Communication", "3 · At the bar"]:
        assert text in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    session.refresh_from_db()
    assert session.status == BookingStatus.COMPLETED
    feedback = Feedback.objects.get(booking=session)
    assert dict(feedback.scores.values_list("criterion", "score")) == {
        "problem_solving": 3,
        "communication": 4,
    }


def test_the_candidate_reads_the_scorecard_on_the_booking_page(
    client, completed, candidate, interviewer, after
):
    feedback_submit(booking=completed, interviewer=interviewer, now=after, **scorecard())
    client.force_login(candidate)

    page = client.get(completed.get_absolute_url()).content.decode()

    for text in [
        "Your feedback",
        "Hire",
        "Would pass this round at most companies.",
        "Problem solving <span>3 of 4</span>",
        "At the bar",
        "Clarified the constraints before coding.",
        "Test the empty input first.",
        "Rate your interviewer",
    ]:
        assert text in page, text
    assert "corrected" not in page


def test_a_bad_scorecard_gets_clear_errors_and_keeps_what_was_typed(as_interviewer, session, after):
    response = as_interviewer.post(
        write_url(session), form_data(score__communication=None, strengths="Calm <b>under</b>")
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Please score Communication." in page
    assert "Calm &lt;b&gt;under&lt;/b&gt;" in page
    assert not Feedback.objects.exists()
    session.refresh_from_db()
    assert session.status == BookingStatus.CONFIRMED


def test_posting_the_form_again_corrects_the_scorecard_rather_than_adding_one(
    as_interviewer, session, after
):
    as_interviewer.post(write_url(session), form_data())

    response = as_interviewer.post(write_url(session), form_data(hire_signal="no"))

    assert response.status_code == 302
    assert Feedback.objects.get().hire_signal == "no"


def test_the_interviewer_corrects_the_feedback_and_the_candidate_sees_when(
    as_interviewer, client, completed, interviewer, candidate, after
):
    feedback_submit(booking=completed, interviewer=interviewer, now=after, **scorecard())

    form = as_interviewer.get(write_url(completed)).content.decode()
    with time_machine.travel(AFTER.replace(day=5), tick=False):
        as_interviewer.post(
            write_url(completed), form_data(strengths="Clear plan; strong on complexity.")
        )
        client.force_login(candidate)
        page = client.get(completed.get_absolute_url()).content.decode()

    assert "Correct your feedback" in form
    assert "Clarified the constraints before coding.</textarea>" in form
    assert 'value="3" id="id_score__problem_solving_2" required checked' in form
    assert "Clear plan; strong on complexity." in page
    assert "corrected" in page
    assert Feedback.objects.get().edited_at == AFTER.replace(day=5)


@pytest.mark.parametrize("who", ["other_candidate", "other_interviewer"])
def test_outsiders_get_404_for_the_feedback_and_the_rating(
    client, completed, interviewer, request, two_factor, who
):
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    responses = [
        client.get(write_url(completed)),
        client.post(write_url(completed), form_data(hire_signal="strong_no")),
        client.get(rate_url(completed)),
        client.post(rate_url(completed), {"score": "1"}),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert Feedback.objects.get().hire_signal == "yes"
    assert not Rating.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, completed):
    response = client.get(write_url(completed))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_candidate_and_staff_read_but_do_not_write_feedback(
    client, completed, candidate, staff, two_factor
):
    two_factor(staff)
    for user in (candidate, staff):
        client.force_login(user)
        assert client.get(write_url(completed)).status_code == 404
        assert client.post(write_url(completed), form_data()).status_code == 404
    assert not Feedback.objects.exists()


def test_staff_read_the_scorecard_and_the_rating(
    client, completed, candidate, interviewer, staff, two_factor
):
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())
    rating_submit(booking=completed, candidate=candidate, score=4, comment="Helpful", now=AFTER)
    two_factor(staff)
    client.force_login(staff)

    page = client.get(completed.get_absolute_url()).content.decode()

    assert "Clarified the constraints before coding." in page
    assert "4 of 5" in page and "Helpful" in page
    assert write_url(completed) not in page


def test_the_write_page_of_a_session_without_a_scorecard_to_write_is_not_found(
    as_interviewer, session, interviewer
):
    upcoming = as_interviewer.get(write_url(session))
    with time_machine.travel(AFTER, tick=False):
        booking_record_outcome(
            session,
            actor=interviewer,
            actor_role=Actor.INTERVIEWER,
            no_show_side=NoShowSide.CANDIDATE,
            now=AFTER,
        )
        no_show = as_interviewer.get(write_url(session))
        posted = as_interviewer.post(write_url(session), form_data())

    assert [upcoming.status_code, no_show.status_code, posted.status_code] == [404, 404, 404]
    assert not Feedback.objects.exists()


def test_a_cancelled_session_has_no_feedback_or_rating_pages(
    client, as_interviewer, session, candidate
):
    booking_cancel(session, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    with time_machine.travel(AFTER, tick=False):
        assert as_interviewer.get(write_url(session)).status_code == 404
        client.force_login(candidate)
        assert client.get(rate_url(session)).status_code == 404
        page = client.get(session.get_absolute_url()).content.decode()

    assert "Rate your interviewer" not in page


def test_a_session_awaiting_its_outcome_cannot_be_rated_yet(client, session, candidate, after):
    client.force_login(candidate)

    assert client.get(rate_url(session)).status_code == 404
    assert client.post(rate_url(session), {"score": "5"}).status_code == 404


def test_the_candidate_rates_the_interviewer_and_changes_the_rating(
    client, completed, candidate, after
):
    client.force_login(candidate)

    first = client.post(rate_url(completed), {"score": "3", "comment": "Good questions."})
    second = client.post(rate_url(completed), {"score": "5", "comment": ""})
    page = client.get(completed.get_absolute_url()).content.decode()

    assert first.status_code == second.status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "")
    assert "You rated this session 5 of 5" in page
    assert 'value="5" id="id_score_4" required checked' in page


def test_a_rating_without_a_score_gets_a_clear_error(client, completed, candidate, after):
    client.force_login(candidate)

    response = client.post(rate_url(completed), {"score": "9", "comment": "Keep this"})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert "Keep this</textarea>" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_interviewer_sees_the_rating_once_their_feedback_is_written(
    as_interviewer, completed, candidate, interviewer, after
):
    rating_submit(booking=completed, candidate=candidate, score=2, comment="Rushed.", now=after)

    before = as_interviewer.get(completed.get_absolute_url()).content.decode()
    feedback_submit(booking=completed, interviewer=interviewer, now=after, **scorecard())
    later = as_interviewer.get(completed.get_absolute_url()).content.decode()

    assert "Rushed." not in before
    assert "Write feedback" in before
    assert "2 of 5" in later and "Rushed." in later


def test_feedback_text_is_escaped_everywhere(client, completed, candidate, interviewer, after):
    feedback_submit(
        booking=completed,
        interviewer=interviewer,
        now=after,
        **scorecard(strengths='"><img src=x onerror=alert(1)>'),
    )
    client.force_login(candidate)

    page = client.get(completed.get_absolute_url()).content.decode()

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_upcoming_session_reads_only_its_focus_skills_for_the_panel(
    session, django_assert_num_queries
):
    with django_assert_num_queries(1):
        panel = feedback_panel_for(session, "candidate")

    assert panel == {"focus": {"skills": [], "can_choose": False}, "started": False}


def test_the_interviewer_sets_up_two_factor_authentication_first(
    client, session, interviewer, after
):
    client.force_login(interviewer)

    response = client.get(write_url(session))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_dashboards_say_what_to_do_next_about_feedback(
    client, as_interviewer, completed, candidate, interviewer, after
):
    dashboard = reverse("interviewers:dashboard")
    sessions = reverse("bookings:list")
    assert b"Write your feedback" in as_interviewer.get(dashboard).content
    client.force_login(candidate)
    assert b"Rate your interviewer" in client.get(sessions).content

    feedback_submit(booking=completed, interviewer=interviewer, **scorecard(), now=AFTER)
    client.force_login(candidate)
    listed = client.get(sessions).content

    assert b"Write your feedback" not in as_interviewer.get(dashboard).content
    assert b"Read your feedback" in listed
