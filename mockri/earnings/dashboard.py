"""The earnings app's parts of the onboarding and of the interviewer's dashboard, registered with
the interviewers app from EarningsConfig.ready()."""

import datetime

from django.conf import settings
from django.utils import timezone

from mockri.catalogue.models import InterviewerProfile
from mockri.interviewers.dashboard import EARNINGS, RELIABILITY, Widget, widget_register
from mockri.interviewers.onboarding import PAYOUT_DETAILS, Step, step_register

from .selectors import ledger_balance, reliability_incidents, statement_for
from .services import payout_details_done


def earnings_summary(profile: InterviewerProfile, now: datetime.datetime) -> dict:
    """This month's statement and what is owed: four queries."""
    local = timezone.localtime(now)
    return {
        "statement": statement_for(interviewer=profile, year=local.year, month=local.month),
        "balance": ledger_balance(interviewer=profile),
        "has_payout_details": payout_details_done(profile),
    }


def reliability_summary(profile: InterviewerProfile, now: datetime.datetime) -> dict:
    return {
        "incidents": reliability_incidents(interviewer=profile, now=now),
        "threshold": settings.RELIABILITY_PAUSE_THRESHOLD,
    }


def register() -> None:
    step_register(
        Step(
            key=PAYOUT_DETAILS,
            title="Payout details",
            summary="Where we send your earnings: a bank account or a UPI id, in your name.",
            url_name="earnings:payout_details",
            is_done=payout_details_done,
        )
    )
    widget_register(
        Widget(
            key="earnings_month",
            slot=EARNINGS,
            template="earnings/includes/dashboard_earnings.html",
            context=earnings_summary,
        )
    )
    widget_register(
        Widget(
            key="reliability_record",
            slot=RELIABILITY,
            template="earnings/includes/dashboard_reliability.html",
            context=reliability_summary,
        )
    )
