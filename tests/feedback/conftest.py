import datetime

import pytest
import time_machine

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_confirm_payment, booking_record_outcome
from tests.fixtures import SLOT

CRITERIA = [
    {"key": "problem_solving", "label": "Problem solving", "hint": "Finds an approach."},
    {"key": "communication", "label": "Communication", "hint": "Thinks aloud."},
]
# The 60-minute session at SLOT is over.
AFTER = SLOT + datetime.timedelta(minutes=90)


def scorecard(**changes) -> dict:
    """What an interviewer submits, as the services take it."""
    return {
        "scores": {"problem_solving": 3, "communication": 4},
        "hire_signal": "yes",
        "strengths": "Clarified the constraints before coding.",
        "areas_to_improve": "Test the empty input first.",
        **changes,
    }


def run_due(task_queue, *names: str) -> None:
    """Run the named tasks that are due now, and any of them they queue; leave the rest."""
    while due := [r for r in task_queue.due() if r.task.name in names]:
        task_queue.backend.results.remove(due[0])
        due[0].task.call(*due[0].args, **due[0].kwargs)


@pytest.fixture
def scored_type(paid_type):
    paid_type.scorecard_criteria = CRITERIA
    paid_type.save()
    return paid_type


@pytest.fixture
def session(now, candidate, scored_type, profile, book):
    """A confirmed 60-minute session at SLOT (India 10:00), booked and paid the day before."""
    booking = book(candidate=candidate, interview_type=scored_type, interviewer=profile)
    return booking_confirm_payment(booking)


@pytest.fixture
def after(now):
    """The clock after the session has ended."""
    with time_machine.travel(AFTER, tick=False):
        yield AFTER


@pytest.fixture
def completed(session, interviewer, after):
    return booking_record_outcome(
        session, actor=interviewer, actor_role=Actor.INTERVIEWER, now=after
    )


@pytest.fixture
def as_interviewer(client, interviewer, two_factor):
    """The interviewer's browser; it signs in at each request's time (sign-ins expire)."""
    two_factor(interviewer)

    class Signed:
        def get(self, *args, **kwargs):
            client.force_login(interviewer)
            return client.get(*args, **kwargs)

        def post(self, *args, **kwargs):
            client.force_login(interviewer)
            return client.post(*args, **kwargs)

    return Signed()


def pdf_with_text(text: str) -> bytes:
    """A small valid one-page PDF whose page shows `text` (for reading job descriptions)."""
    content = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf
