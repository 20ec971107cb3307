"""The interviewer's earnings pages (under /interviewer/, where two-factor is required) and the
candidate's "my interviewer did not show" button."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.bookings.selectors import booking_get_for_user
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import DomainError

from .forms import PayoutDetailsForm, ReportForm
from .models import format_paise
from .reliability import no_show_report_file
from .selectors import (
    ledger_balance,
    payout_details_of,
    profile_of,
    statement_for,
    statement_months,
)
from .services import payout_details_save


def month_or_404(year: int, month: int) -> tuple[int, int]:
    if not (1 <= month <= 12 and 2000 <= year <= 2999):
        raise Http404("No such month.")
    return year, month


def safe_cell(value) -> str:
    # A spreadsheet runs a cell starting with one of these as a formula.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def statement_csv(statement, *, filename: str) -> HttpResponse:
    """A month's statement as CSV (amounts in rupees with paise, and in paise)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(["date", "kind", "description", "amount_paise", "settled"])
    writer.writerow(["", "opening", "Owed at the month's start", statement.opening_paise, ""])
    for entry in statement.entries:
        writer.writerow(
            [
                timezone.localtime(entry.earned_at).date().isoformat(),
                entry.kind,
                safe_cell(entry.description),
                entry.amount_paise,
                "yes" if entry.settled_at else "no",
            ]
        )
    for line in statement.payouts:
        writer.writerow(
            [
                timezone.localtime(line.paid_at).date().isoformat(),
                "payout",
                safe_cell(f"Paid, reference {line.reference}"),
                -line.amount_paise,
                "yes",
            ]
        )
    writer.writerow(["", "closing", "Owed at the month's end", statement.closing_paise, ""])
    return response


def statement_context(profile: InterviewerProfile, year: int, month: int) -> dict:
    statement = statement_for(interviewer=profile, year=year, month=month)
    return {"statement": statement, "profile": profile, "format_paise": format_paise}


@never_cache
@login_required
@require_GET
def earnings_home(request):
    """The interviewer's balance, this month's statement and the list of past months."""
    profile = profile_of(request.user)
    now = timezone.now()
    local = timezone.localtime(now)
    return render(
        request,
        "earnings/earnings_home.html",
        {
            **statement_context(profile, local.year, local.month),
            "balance": ledger_balance(interviewer=profile),
            "months": statement_months(interviewer=profile, now=now),
            "details": payout_details_of(profile),
        },
    )


@never_cache
@login_required
@require_GET
def statement(request, year: int, month: int):
    profile = profile_of(request.user)
    year, month = month_or_404(year, month)
    return render(request, "earnings/statement_page.html", statement_context(profile, year, month))


@never_cache
@login_required
@require_GET
def statement_download(request, year: int, month: int):
    profile = profile_of(request.user)
    year, month = month_or_404(year, month)
    return statement_csv(
        statement_for(interviewer=profile, year=year, month=month),
        filename=f"mockri-statement-{year}-{month:02d}.csv",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def payout_details(request):
    """Where the interviewer is paid. The stored numbers are shown masked and never put back
    into the form."""
    profile = profile_of(request.user)
    details = payout_details_of(profile)
    form = PayoutDetailsForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            payout_details_save(profile=profile, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your payout details are saved.")
            return redirect("earnings:payout_details")
    return render(
        request,
        "earnings/payout_details_form.html",
        {"form": form or PayoutDetailsForm.for_details(details), "details": details},
        status=422 if form is not None else 200,
    )


@login_required
@require_POST
def report_no_show(request, reference: str):
    """The candidate: "my interviewer did not show"."""
    booking, _ = booking_get_for_user(user=request.user, reference=reference)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please keep it under 1,000 characters.")
        return redirect(booking)
    try:
        no_show_report_file(booking=booking, user=request.user, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Thank you for telling us. We will check and email you; if the interviewer did not "
            "come, you are refunded in full.",
        )
    return redirect(booking)
