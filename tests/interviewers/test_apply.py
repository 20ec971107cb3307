import pytest
from django.core import mail
from django.urls import reverse

from mockri.interviewers.enums import ApplicationStatus
from mockri.interviewers.models import InterviewerApplication
from mockri.interviewers.services import (
    RESUBMISSIONS_KEPT,
    application_accept,
    application_decline,
)
from mockri.notifications.models import OutboxEmail
from tests.fixtures import NOW, emails_sent

pytestmark = pytest.mark.django_db
URL = reverse("interviewers:apply")


@pytest.fixture
def form(system_design, coding):
    return {
        "full_name": "Meera Krishnan",
        "email": "Meera@Example.com",
        "current_company": "Swiggy",
        "current_role": "Senior Software Engineer",
        "years_experience": "7",
        "companies_interviewed_for": "Swiggy, Amazon, Swiggy",
        "interview_types": [system_design.pk, coding.pk],
        "languages": "English, Tamil",
        "profile_url": "https://www.linkedin.com/in/meera",
        "motivation": "I have run 150 backend interviews.",
        "is_adult": "on",
        "accepts_privacy_policy": "on",
    }


def test_a_visitor_applies_and_gets_an_acknowledgement_email(
    client, now, form, settings, system_design, coding
):
    with emails_sent():
        response = client.post(URL, form, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    assert "Thank you for applying" in response.content.decode()
    application = InterviewerApplication.objects.get()
    assert (application.email, application.status) == ("meera@example.com", "pending")
    assert application.companies_interviewed_for == ["Swiggy", "Amazon"]
    assert application.languages == ["English", "Tamil"]
    assert set(application.interview_types.all()) == {system_design, coding}
    assert (application.policy_version, application.consented_at) == (
        settings.PRIVACY_POLICY_VERSION,
        NOW,
    )
    assert application.consent_ip == "203.0.113.9"
    (ack,) = mail.outbox
    assert ack.to == ["meera@example.com"]
    assert ack.subject == "Mockri: We received your application to interview on Mockri"
    # The address is not proved yet: the email repeats nothing the applicant typed.
    assert "Meera" not in ack.body


def test_the_footer_and_the_home_page_link_to_the_form(client, interviewer):
    page = client.get(reverse("pages:home")).content.decode()

    assert page.count(f'href="{URL}"') == 2


def test_a_link_that_is_not_http_or_https_is_refused(client, now, form):
    response = client.post(URL, {**form, "profile_url": "javascript:alert(1)"})

    assert response.status_code == 422
    assert "Enter a web address starting with https:// or http://." in response.content.decode()
    assert not InterviewerApplication.objects.exists()


def test_an_ftp_link_is_refused_too(client, now, form):
    response = client.post(URL, {**form, "profile_url": "ftp://files.example.com/cv.pdf"})

    assert response.status_code == 422
    assert not InterviewerApplication.objects.exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("is_adult", "Interviewers on Mockri must be 18 or older."),
        ("accepts_privacy_policy", "Please read and accept the Privacy Policy to apply."),
    ],
)
def test_without_consent_nothing_is_stored(client, now, form, missing, message):
    del form[missing]

    response = client.post(URL, form)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not InterviewerApplication.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_applying_again_from_the_same_address_keeps_the_first_details_and_adds_the_new_ones(
    client, now, form, coding, system_design
):
    with emails_sent():
        client.post(URL, form)
        client.post(
            URL,
            {
                **form,
                "email": "meera@example.com",
                "full_name": "Someone Else",
                "years_experience": "8",
                "interview_types": [coding.pk],
            },
        )

    application = InterviewerApplication.objects.get()
    assert (application.full_name, application.years_experience) == ("Meera Krishnan", 7)
    assert set(application.interview_types.all()) == {system_design, coding}
    assert application.times_submitted == 2
    [later] = application.resubmissions
    assert (later["full_name"], later["years_experience"], later["interview_types"]) == (
        "Someone Else",
        8,
        ["Coding"],
    )
    assert len(mail.outbox) == 1  # one acknowledgement per application, not per submission


def test_only_the_newest_resubmissions_are_kept(apply_as, now):
    first = apply_as()
    for years in range(10, 10 + RESUBMISSIONS_KEPT + 2):
        apply_as(years_experience=years)

    first.refresh_from_db()
    assert [entry["years_experience"] for entry in first.resubmissions] == list(
        range(12, 12 + RESUBMISSIONS_KEPT)
    )
    assert first.years_experience == 7


def test_a_declined_applicant_may_apply_again_as_a_new_application(
    apply_as, staff, now, system_design
):
    declined = apply_as(interview_types=[system_design])
    application_decline(application=declined, reason="Not yet.", staff=staff, now=NOW)

    again = apply_as(interview_types=[system_design])

    assert again.pk != declined.pk
    assert list(InterviewerApplication.objects.order_by("pk").values_list("status", flat=True)) == [
        ApplicationStatus.DECLINED,
        ApplicationStatus.PENDING,
    ]


def test_an_accepted_applicant_applying_again_changes_nothing(
    client, now, form, staff, apply_as, system_design
):
    application = apply_as(interview_types=[system_design])
    application_accept(application=application, reason="Welcome.", staff=staff, now=NOW)

    response = client.post(URL, form)

    assert "Thank you for applying" in response.content.decode()
    assert list(InterviewerApplication.objects.values_list("status", flat=True)) == ["accepted"]


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, now, form):
    response = client.post(URL, {**form, "website": "http://spam.example"})

    assert response.status_code == 200
    assert not InterviewerApplication.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_too_many_applications_from_one_place_get_429(client, now, form, shared_cache):
    statuses = [
        client.post(URL, {**form, "email": f"person{n}@example.com"}).status_code for n in range(6)
    ]

    assert statuses == [200] * 5 + [429]
    assert InterviewerApplication.objects.count() == 5


def test_one_address_cannot_be_rewritten_more_than_three_times_an_hour(
    client, now, form, shared_cache
):
    statuses = [client.post(URL, form, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(4)]

    assert statuses == [200] * 3 + [429]
    assert InterviewerApplication.objects.get().times_submitted == 3


def test_the_form_lists_only_active_interview_types(client, db, system_design, coding):
    coding.is_active = False
    coding.save()

    page = client.get(URL).content.decode()

    assert "System Design" in page and "Coding" not in page
