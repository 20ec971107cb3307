import pytest
from django.urls import path, reverse

from tests.factories import InterviewerProfileFactory, InterviewTypeFactory

pytestmark = pytest.mark.django_db


def test_home_explains_mockri_from_the_catalogue(client):
    interviewer = InterviewerProfileFactory(
        display_name="Ananya Iyer",
        headline="Senior software engineer, Google",
        past_roles=[{"role": "Senior Software Engineer", "company": "Google"}],
    )
    InterviewTypeFactory(name="System Design", price_paise=199_900, interviewers=[interviewer])
    InterviewTypeFactory(name="Career chat", price_paise=0, duration_minutes=20)

    response = client.get(reverse("pages:home"))
    page = response.content.decode()

    assert response.status_code == 200
    for text in [
        "System Design",
        "₹1,999",
        "Career chat",
        "Free",
        "20 min",
        "Ananya Iyer",
        "Senior software engineer, Google",
        'id="how-it-works"',
        "full refund",
    ]:
        assert text in page, text


def test_home_without_interview_types_says_sessions_open_soon(client):
    page = client.get(reverse("pages:home")).content.decode()

    assert "New sessions open soon" in page


@pytest.mark.parametrize("count", [1, 3])
def test_home_queries_do_not_grow_with_the_catalogue(client, django_assert_num_queries, count):
    interviewers = InterviewerProfileFactory.create_batch(count)
    InterviewTypeFactory.create_batch(count, interviewers=interviewers)

    # Types, interviewers, and the interviewers' companies and languages.
    with django_assert_num_queries(4):
        client.get(reverse("pages:home"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pages:terms", ["Terms of Service", "18", "Razorpay", "India"]),
        ("pages:refunds", ["Refund and cancellation", "24 h", "full refund", "Razorpay"]),
        ("pages:contact", ["Ramees PP", "Kerala, India", "hello@mockri.com", "Grievance"]),
    ],
)
def test_policy_pages_render_their_content(client, name, expected):
    response = client.get(reverse(name))
    page = response.content.decode()

    assert response.status_code == 200
    for text in expected:
        assert text in page, text


def test_an_unknown_address_gets_the_friendly_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "couldn" in response.content.decode()
    assert reverse("catalogue:types") in response.content.decode()


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_a_server_error_gets_the_friendly_500_page_without_details(client):
    client.raise_request_exception = False

    response = client.get("/broken/")
    page = response.content.decode()

    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "boom" not in page
    assert "Traceback" not in page
