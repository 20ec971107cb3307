"""A candidate finds an interviewer in the directory and books with them, in a real browser."""

import re

import pytest

from tests.factories import InterviewerProfileFactory, InterviewTypeFactory
from tests.fixtures import open_all_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filtering_by_company_and_type_then_book_with_opens_the_picker_on_that_interviewer(
    live_server, page
):
    coding = InterviewTypeFactory(name="Coding", slug="coding", position=1)
    design = InterviewTypeFactory(name="System Design", slug="system-design", position=2)
    ananya = open_all_week(
        InterviewerProfileFactory(slug="ananya", display_name="Ananya Iyer", companies=["Google"])
    )
    rohan = open_all_week(
        InterviewerProfileFactory(slug="rohan", display_name="Rohan Mehta", companies=["Amazon"])
    )
    coding.interviewers.add(ananya, rohan)
    design.interviewers.add(ananya, rohan)

    page.goto(f"{live_server.url}/interviewers/")
    page.get_by_label("Company").select_option(label="Google")
    page.wait_for_url(re.compile(r"company=google"))
    page.get_by_label("Interview type").select_option(label="System Design")
    page.wait_for_url(re.compile(r"type=system-design"))
    page.get_by_role("link", name="Book with Rohan Mehta").wait_for(state="detached")
    page.get_by_role("link", name="Book with Ananya Iyer").click()

    page.wait_for_url(re.compile(r"/interviews/system-design/book/\?interviewer=ananya"))
    assert page.locator("input[type=radio][name=interviewer][value=ananya]").is_checked()
