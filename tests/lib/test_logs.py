"""Production's logs: one JSON object per line, with the request id, and no personal data in the
log output of the whole booking flow (sign up, verify, book, pay, emails, cancel)."""

import copy
import io
import json
import logging
import logging.config
import re
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.lib.logs import JsonFormatter
from mockri.payments.models import Payment
from tests.accounts.test_signup import SIGNUP, confirm_email_from_outbox, sign_up
from tests.bookings.test_views import booking_post, details_url
from tests.fixtures import PDF_BYTES, emails_sent, send_queued_emails
from tests.test_deployment_settings import production_setting_values
from tests.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

NAME = "Meenakshi Raghunathan"
EMAIL = "meenakshi.r@example.org"
JOB_DESCRIPTION = "Quokkaplatform seeks a staff engineer for the ledger reconciliation team."
RESUME_MARKER = b"Zanzibar-resume-marker-4417"
VERCEL_ID = "bom1::sin1::7xk2p-1733500000000-a1b2c3d4e5f6"


@pytest.fixture
def json_log(settings):
    """settings.LOGGING as production runs it (json), at DEBUG, written to a buffer."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["stdout"].update(formatter="json", stream=stream)
    config["root"]["level"] = "DEBUG"
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def events(stream) -> list[dict]:
    lines = stream.getvalue().splitlines()
    assert lines
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_a_log_line_is_one_json_object_with_its_fields_and_no_email_address():
    record = logging.LogRecord(
        "mockri.x",
        logging.WARNING,
        __file__,
        1,
        "Bounce from %s\r\nforged: line",
        ("a@b.in",),
        None,
    )
    record.created = 1764561600.123

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert json.loads(line) == {
        "timestamp": "2025-12-01T04:00:00.123Z",
        "level": "WARNING",
        "logger": "mockri.x",
        "message": "Bounce from [email]\r\nforged: line",
        "request_id": None,
    }


def test_a_request_is_named_by_vercels_id_or_a_new_one(json_log, client):
    named = client.get(reverse("pages:home"), headers={"x-vercel-id": VERCEL_ID})
    fresh = client.get(reverse("pages:home"), headers={"x-vercel-id": "bad id\n{}"})

    assert named["X-Request-ID"] == VERCEL_ID
    assert re.fullmatch(r"[0-9a-f]{32}", fresh["X-Request-ID"])
    lines = [e for e in events(json_log) if e["logger"] == "mockri.request"]
    assert [(e["request_id"], e["method"], e["path"], e["status"]) for e in lines] == [
        (VERCEL_ID, "GET", "/", 200),
        (fresh["X-Request-ID"], "GET", "/", 200),
    ]
    assert all(isinstance(e["duration_ms"], float) for e in lines)


def test_the_whole_booking_flow_logs_json_lines_without_personal_data(
    now, paid_type, interviewer, private_storage, task_queue, json_log
):  # json_log last: the cast is made before it listens (factory-boy logs what it builds)
    client = Client()
    resume = PDF_BYTES + b"% " + RESUME_MARKER + b"\n"
    # Sign up, verify the address (which signs in), with a query string full of personal data.
    sign_up(client, full_name=NAME, email=EMAIL)
    with emails_sent():
        confirm_email_from_outbox(client)
    client.get(reverse("account_login"), {"email": EMAIL, "name": NAME})
    # Book a paid session with a job description and a resume.
    client.get(details_url(paid_type))
    with emails_sent():
        client.post(
            details_url(paid_type),
            booking_post(
                job_description_text=JOB_DESCRIPTION,
                resume=SimpleUploadedFile(f"{NAME} CV.pdf", resume),
            ),
        )
    booking = Booking.objects.get()
    # Pay through the test gateway.
    client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))
    payment = Payment.objects.get()
    checkout = reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref})
    handback = client.post(checkout, {"outcome": "pay"}).context
    with emails_sent():
        client.post(
            reverse("payments:checkout_complete"),
            {
                "razorpay_order_id": handback["order_ref"],
                "razorpay_payment_id": handback["payment_ref"],
                "razorpay_signature": handback["signature"],
            },
        )
    # The emails (confirmation, meeting link, receipt) through the outbox tasks, then cancel.
    task_queue.run_all()
    send_queued_emails()
    with emails_sent():
        client.post(
            reverse("bookings:cancel", kwargs={"reference": booking.reference}),
            {"reason": f"{NAME} got the offer"},
        )
    task_queue.run_all()
    send_queued_emails()

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    logged = events(json_log)
    requests = [e for e in logged if e["logger"] == "mockri.request"]
    assert len(requests) >= 8
    assert all(re.fullmatch(r"[0-9a-f]{32}", e["request_id"]) for e in requests)
    assert all("?" not in e["path"] for e in requests)
    assert ("POST", "/accounts/signup/", 302) in {
        (e["method"], e["path"], e["status"]) for e in requests
    }
    output = json_log.getvalue().lower()
    for personal in (
        NAME,
        NAME.split()[0],
        EMAIL,
        SIGNUP["password1"],
        interviewer.full_name,
        interviewer.email,
        JOB_DESCRIPTION,
        "Quokkaplatform",
        RESUME_MARKER.decode(),
    ):
        assert personal.lower() not in output, personal


def test_an_exception_is_one_field_of_its_line_with_addresses_masked():
    try:
        raise ValueError("Key (email)=(kavya@example.com) already exists.")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (), None
        )
        record.exc_info = sys.exc_info()

    event = json.loads(JsonFormatter().format(record))

    assert event["message"] == "Internal Server Error: /"
    assert event["exception"].startswith("Traceback (most recent call last):")
    assert event["exception"].endswith("ValueError: Key (email)=([email]) already exists.")


@pytest.mark.parametrize(
    ("environment", "formatter"),
    [({}, "json"), ({"DEBUG": "True"}, "text"), ({"LOG_FORMAT": "text"}, "text")],
    ids=["production", "make run", "chosen"],
)
def test_production_logs_json_to_stdout_by_default(tmp_path, environment, formatter):
    values = production_setting_values(tmp_path, ["LOG_FORMAT", "LOGGING"], environment)

    assert values["LOG_FORMAT"] == formatter
    assert values["LOGGING"]["handlers"]["stdout"] == {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": formatter,
    }


def test_an_unknown_log_format_refuses_to_start(tmp_path):
    result = run_django(["manage.py", "check"], {**PRODUCTION, "LOG_FORMAT": "xml"}, tmp_path)

    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text, not 'xml'." in result.stderr
