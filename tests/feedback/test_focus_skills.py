"""Focus skills: the interviewer reads the job description, chooses up to three skills from
Mockri's suggestions or their own words, and the scorecard scores them beside the type's
criteria; the candidate sees how they did against their job, session after session."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mockri.bookings.enums import Actor, FileKind
from mockri.bookings.models import FileAccess
from mockri.bookings.services import (
    NewFile,
    booking_cancel,
    booking_confirm_payment,
    booking_record_outcome,
)
from mockri.bookings.uploads import PDF, CheckedUpload
from mockri.feedback.models import FeedbackScore, FocusSkill
from mockri.feedback.services import feedback_submit, focus_skills_set, job_description_read
from mockri.lib.errors import NotAllowed, PolicyViolation
from tests.feedback.conftest import AFTER, pdf_with_text, scorecard
from tests.fixtures import SLOT, resume_file

pytestmark = pytest.mark.django_db

# A signed-in page's own reads (the session with its user, consent, two-factor and notices).
QUERIES_FOCUS_PAGE = 12
QUERIES_CANDIDATE_PAGE = 18  # with the pack credit and no-show report panels
JD = "Backend engineer, payments. Python and Kafka; Python services; distributed systems."


def focus_url(booking) -> str:
    return reverse("feedback:focus", kwargs={"reference": booking.reference})


def jd_file(text: str = "Kotlin and Android engineer") -> NewFile:
    data = pdf_with_text(text)
    return NewFile(
        FileKind.JOB_DESCRIPTION,
        SimpleUploadedFile("Role.pdf", data, content_type=PDF),
        CheckedUpload(
            content_type=PDF, extension="pdf", display_name="Role.pdf", size_bytes=len(data)
        ),
    )


@pytest.fixture
def upcoming(now, candidate, scored_type, profile, book):
    """A confirmed session at SLOT whose job description was pasted."""
    booking = book(
        candidate=candidate,
        interview_type=scored_type,
        interviewer=profile,
        job_description_text=JD,
    )
    return booking_confirm_payment(booking)


def choose(booking, interviewer, *labels: str):
    return focus_skills_set(booking=booking, interviewer=interviewer, labels=list(labels))


# --- choosing them ---


def test_the_interviewer_chooses_up_to_three_focus_skills_in_order(upcoming, interviewer):
    choose(upcoming, interviewer, "Python", "  Distributed   systems ", "Kafka")

    assert list(FocusSkill.objects.values_list("key", "label", "position")) == [
        ("focus-python", "Python", 0),
        ("focus-distributed-systems", "Distributed systems", 1),
        ("focus-kafka", "Kafka", 2),
    ]


def test_choosing_again_replaces_the_skills_and_blanks_are_ignored(upcoming, interviewer):
    choose(upcoming, interviewer, "Python", "Kafka")
    choose(upcoming, interviewer, "", "System design", "system  DESIGN")

    assert list(FocusSkill.objects.values_list("label", flat=True)) == ["System design"]


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["A", "B", "C", "D"], "Please choose at most 3 focus skills."),
        (["x" * 61], "Please keep each skill under 60 characters."),
        (["!!!"], "“!!!” needs letters or digits to be a skill."),
    ],
)
def test_focus_skills_are_three_short_named_skills_at_most(upcoming, interviewer, labels, message):
    with pytest.raises(PolicyViolation) as refused:
        choose(upcoming, interviewer, *labels)

    assert refused.value.message == message
    assert not FocusSkill.objects.exists()


@pytest.mark.parametrize("who", ["candidate", "other_interviewer", "staff"])
def test_only_the_sessions_interviewer_chooses_focus_skills(upcoming, request, who):
    with pytest.raises(NotAllowed):
        choose(upcoming, request.getfixturevalue(who), "Python")


def test_focus_skills_are_settled_once_the_scorecard_is_written(upcoming, interviewer):
    feedback_submit(booking=upcoming, interviewer=interviewer, now=AFTER, **scorecard())

    with pytest.raises(PolicyViolation) as refused:
        choose(upcoming, interviewer, "Python")

    assert refused.value.message == "The scorecard is written, so its focus skills are settled."


def test_a_cancelled_session_gets_no_focus_skills(upcoming, candidate, interviewer):
    booking_cancel(upcoming, actor=candidate, actor_role=Actor.CANDIDATE, reason="")

    with pytest.raises(PolicyViolation):
        choose(upcoming, interviewer, "Python")


# --- scoring them ---


def test_the_scorecard_scores_the_focus_skills_beside_the_criteria(upcoming, interviewer):
    choose(upcoming, interviewer, "Python", "C++")

    feedback = feedback_submit(
        booking=upcoming,
        interviewer=interviewer,
        now=AFTER,
        **scorecard(
            scores={
                "problem_solving": 3,
                "communication": 4,
                "focus-python": 2,
                "focus-c-plus-plus": 4,
            }
        ),
    )

    assert [(s.label, s.score, s.is_focus_skill) for s in feedback.scores.all()] == [
        ("Problem solving", 3, False),
        ("Communication", 4, False),
        ("Python", 2, True),
        ("C++", 4, True),
    ]
    assert feedback.has_focus_skills


def test_a_scorecard_without_a_focus_skills_score_is_incomplete(upcoming, interviewer):
    choose(upcoming, interviewer, "Python")

    with pytest.raises(PolicyViolation) as refused:
        feedback_submit(booking=upcoming, interviewer=interviewer, now=AFTER, **scorecard())

    assert refused.value.message == "Please score Python."


# --- reading the job description ---


def test_pasted_text_is_read_without_logging_a_file_opening(upcoming, interviewer):
    text = job_description_read(booking=upcoming, reader=interviewer, role=Actor.INTERVIEWER)

    assert text == JD
    assert not FileAccess.objects.exists()


def test_reading_an_uploaded_job_description_is_logged_as_an_opening(
    now, candidate, scored_type, profile, interviewer, book
):
    booking = booking_confirm_payment(
        book(
            candidate=candidate,
            interview_type=scored_type,
            interviewer=profile,
            job_description_text="",
            files=[resume_file(), jd_file()],
        )
    )

    text = job_description_read(booking=booking, reader=interviewer, role=Actor.INTERVIEWER)

    assert text == "Kotlin and Android engineer"
    assert list(
        FileAccess.objects.values_list("kind", "file_name", "accessed_by", "accessed_by_role")
    ) == [(FileKind.JOB_DESCRIPTION, "Role.pdf", interviewer.pk, Actor.INTERVIEWER)]


# --- the pages ---


def test_the_interviewer_picks_suggested_and_written_skills_on_the_focus_page(
    as_interviewer, upcoming
):
    booking_page = as_interviewer.get(upcoming.get_absolute_url()).content.decode()
    page = as_interviewer.get(focus_url(upcoming))
    response = as_interviewer.post(
        focus_url(upcoming),
        {"suggested": ["Python", "Messaging and queues"], "written_0": "Ledgers"},
    )

    assert "Choose focus skills" in booking_page
    assert page.status_code == 200
    for suggestion in ["Python", "Messaging and queues", "Distributed systems"]:
        assert f'value="{suggestion}"' in page.content.decode()
    assert response.status_code == 302
    assert list(FocusSkill.objects.values_list("label", flat=True)) == [
        "Python",
        "Messaging and queues",
        "Ledgers",
    ]


def test_more_than_three_skills_on_the_page_are_refused_and_nothing_is_saved(
    as_interviewer, upcoming
):
    response = as_interviewer.post(
        focus_url(upcoming),
        {"suggested": ["Python", "SQL"], "written_0": "Go", "written_1": "Rust"},
    )

    assert response.status_code == 422
    assert "Please choose at most 3 focus skills in all." in response.content.decode()
    assert not FocusSkill.objects.exists()


def test_a_job_description_that_cannot_be_read_leaves_written_skills(
    now, as_interviewer, candidate, scored_type, profile, book
):
    booking = booking_confirm_payment(
        book(
            candidate=candidate,
            interview_type=scored_type,
            interviewer=profile,
            job_description_text="",
        )
    )

    page = as_interviewer.get(focus_url(booking)).content.decode()

    assert "We couldn't draw suggestions from this job description" in page
    assert 'name="written_0"' in page


def test_the_candidate_sees_the_focus_skills_before_the_session(
    client, upcoming, candidate, interviewer
):
    choose(upcoming, interviewer, "Python", "Kafka")
    client.force_login(candidate)

    page = client.get(upcoming.get_absolute_url()).content.decode()

    assert "your interviewer will score you on these skills from your job description" in page
    assert '<li class="badge">Python</li><li class="badge">Kafka</li>' in page
    assert focus_url(upcoming) not in page


@pytest.mark.parametrize("who", ["candidate", "other_candidate", "other_interviewer", "staff"])
def test_only_the_interviewer_opens_the_focus_page(client, upcoming, request, who, two_factor):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    assert client.get(focus_url(upcoming)).status_code == 404
    assert client.post(focus_url(upcoming), {"written_0": "Python"}).status_code == 404
    assert not FocusSkill.objects.exists()


def test_the_focus_page_is_gone_once_the_scorecard_is_written(
    as_interviewer, upcoming, interviewer
):
    feedback_submit(booking=upcoming, interviewer=interviewer, now=AFTER, **scorecard())

    assert as_interviewer.get(focus_url(upcoming)).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_focus_page_reads_a_fixed_number_of_queries(
    client, two_factor, upcoming, interviewer, count, django_assert_num_queries
):
    choose(upcoming, interviewer, *["Python", "Kafka", "Go"][:count])
    two_factor(interviewer)
    client.force_login(interviewer)

    # the booking, its scorecard, focus skills and (read, then linked) its job description
    with django_assert_num_queries(QUERIES_FOCUS_PAGE):
        assert client.get(focus_url(upcoming)).status_code == 200


def test_the_focus_page_escapes_what_the_candidate_wrote(
    as_interviewer, candidate, scored_type, profile, book, now
):
    booking = booking_confirm_payment(
        book(
            candidate=candidate,
            interview_type=scored_type,
            interviewer=profile,
            job_description_text="<script>alert(1)</script> Python Python",
        )
    )

    page = as_interviewer.get(focus_url(booking)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the candidate's view after sessions ---


@pytest.fixture
def two_scored_sessions(now, candidate, scored_type, profile, interviewer, book, upcoming):
    """Two sessions a day apart, each scored on the criteria and the focus skill Python."""
    later = booking_confirm_payment(
        book(
            candidate=candidate,
            interview_type=scored_type,
            interviewer=profile,
            starts_at=SLOT + datetime.timedelta(days=1),
            job_description_text=JD,
        )
    )
    for booking, python, communication in ((upcoming, 2, 2), (later, 4, 3)):
        choose(booking, interviewer, "Python")
        when = booking.starts_at + datetime.timedelta(hours=2)
        booking_record_outcome(booking, actor=interviewer, actor_role=Actor.INTERVIEWER, now=when)
        feedback_submit(
            booking=booking,
            interviewer=interviewer,
            now=when,
            **scorecard(
                scores={
                    "problem_solving": 3,
                    "communication": communication,
                    "focus-python": python,
                }
            ),
        )
    return upcoming, later


def test_the_candidate_sees_their_job_skills_and_a_trend_per_criterion(
    client, candidate, two_scored_sessions
):
    first, later = two_scored_sessions
    client.force_login(candidate)

    page = client.get(later.get_absolute_url()).content.decode()
    first_page = client.get(first.get_absolute_url()).content.decode()

    assert "Against your job description" in page
    assert "Session after session" in page
    assert page.count('<svg class="trend__chart"') == 3
    assert '<title id="trend-focus-python-title">Python across your sessions</title>' in page
    assert (
        '<desc id="trend-focus-python-desc">2 of 4 on 2 Dec 2026, then 4 of 4 on 3 Dec 2026.</desc>'
        in page
    )
    assert "up 2 over 2 sessions" in page
    assert "<td>3 Dec 2026</td><td>4 of 4</td>" in page
    assert "Session after session" not in first_page


def test_the_interviewer_never_sees_the_candidates_other_sessions(
    as_interviewer, two_scored_sessions
):
    _, later = two_scored_sessions

    page = as_interviewer.get(later.get_absolute_url()).content.decode()

    assert "Focus skills from the job description" in page
    assert "trend__chart" not in page


@pytest.mark.parametrize("sessions", [1, 3])
def test_the_candidates_page_reads_as_much_however_many_sessions_it_draws(
    client,
    now,
    candidate,
    scored_type,
    profile,
    interviewer,
    book,
    sessions,
    django_assert_num_queries,
):
    bookings = []
    for day in range(sessions + 1):
        booking = booking_confirm_payment(
            book(
                candidate=candidate,
                interview_type=scored_type,
                interviewer=profile,
                starts_at=SLOT + datetime.timedelta(days=day),
            )
        )
        choose(booking, interviewer, "Python")
        when = booking.starts_at + datetime.timedelta(hours=2)
        feedback_submit(
            booking=booking,
            interviewer=interviewer,
            now=when,
            **scorecard(
                scores={"problem_solving": 3, "communication": 2, "focus-python": 1 + day % 4}
            ),
        )
        bookings.append(booking)
    client.force_login(candidate)

    with django_assert_num_queries(QUERIES_CANDIDATE_PAGE):
        page = client.get(bookings[-1].get_absolute_url()).content.decode()

    assert page.count('<svg class="trend__chart"') == 3
    assert FeedbackScore.objects.filter(criterion="focus-python").count() == sessions + 1
