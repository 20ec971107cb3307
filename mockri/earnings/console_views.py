"""Staff pages under /console/ (two-factor required by the middleware): interviewers'
reliability, "did not show" reports, rates, statements and payout batches."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.catalogue.models import InterviewerProfile
from mockri.lib.access import staff_only
from mockri.lib.errors import DomainError

from .enums import PayoutMethod
from .forms import BatchForm, DecisionForm, RateForm, ReferenceForm
from .models import EarningRate, NoShowReport, PayoutBatch, PayoutLine
from .reliability import no_show_report_confirm, no_show_report_dismiss
from .selectors import (
    batch_lines,
    batches_list,
    interviewers_with_entries,
    ledger_balance,
    no_show_reports_open,
    rates_list,
    reliability_table,
    statement_for,
)
from .services import (
    earning_rate_add,
    earning_rate_delete,
    payout_batch_create,
    payout_batch_discard,
    payout_line_mark_paid,
)
from .views import month_or_404, safe_cell, statement_context, statement_csv


@never_cache
@login_required
@require_GET
def reliability(request):
    """Every interviewer's no-shows, late cancellations and late feedback over 90 days."""
    staff_only(request)
    return render(
        request,
        "earnings/console_reliability.html",
        {
            "rows": reliability_table(now=timezone.now()),
            "threshold": settings.RELIABILITY_PAUSE_THRESHOLD,
        },
    )


@never_cache
@login_required
@require_GET
def reports(request):
    """Candidates' open "my interviewer did not show" reports."""
    staff_only(request)
    return render(
        request,
        "earnings/console_reports.html",
        {
            # A form per report, with ids of its own.
            "reports": [
                (report, DecisionForm(auto_id=f"id_%s_{report.pk}"))
                for report in no_show_reports_open()
            ]
        },
    )


@login_required
@require_POST
def report_decide(request, pk: int, decision: str):
    staff_only(request)
    report = get_object_or_404(NoShowReport.objects.select_related("booking"), pk=pk)
    form = DecisionForm(request.POST)
    if decision not in ("confirm", "dismiss") or not form.is_valid():
        raise Http404
    decide = no_show_report_confirm if decision == "confirm" else no_show_report_dismiss
    try:
        decide(report=report, staff_user=request.user, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{report.booking.reference}: "
            + ("confirmed and refunded." if decision == "confirm" else "dismissed."),
        )
    return redirect("earnings:console_reports")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rates(request):
    """The rates in force and to come, and a form to add one."""
    staff_only(request)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            earning_rate_add(
                staff_user=request.user,
                interview_type=form.cleaned_data["interview_type"],
                kind=form.cleaned_data["kind"],
                share_percent=form.cleaned_data["share_percent"] or 0,
                amount_paise=form.amount_paise(),
                effective_from=form.cleaned_data["effective_from"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The rate is added.")
            return redirect("earnings:console_rates")
    return render(
        request,
        "earnings/console_rates.html",
        {
            "rates": rates_list(),
            "now": timezone.now(),
            "form": form,
            "default_percent": settings.EARNINGS_DEFAULT_SHARE_PERCENT,
            "no_show_percent": settings.EARNINGS_CANDIDATE_NO_SHOW_PERCENT,
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_POST
def rate_delete(request, pk: int):
    """Delete a rate that has not started yet; a started one is refused with the reason."""
    staff_only(request)
    rate = get_object_or_404(EarningRate, pk=pk)
    try:
        earning_rate_delete(rate=rate, staff_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        starts = dateformat.format(timezone.localtime(rate.effective_from), "j M Y, g:i A")
        messages.success(
            request, f"The rate of {rate.description} that was to start on {starts} is deleted."
        )
    return redirect("earnings:console_rates")


@never_cache
@login_required
@require_GET
def statements(request):
    """Interviewers with earnings, their balance, and links to their monthly statements."""
    staff_only(request)
    local = timezone.localtime()
    profiles = list(interviewers_with_entries().order_by("display_name"))
    return render(
        request,
        "earnings/console_statements.html",
        {
            "rows": [(p, ledger_balance(interviewer=p)) for p in profiles],
            "year": local.year,
            "month": local.month,
        },
    )


@never_cache
@login_required
@require_GET
def statement(request, profile_id: int, year: int, month: int):
    staff_only(request)
    profile = get_object_or_404(InterviewerProfile, pk=profile_id)
    year, month = month_or_404(year, month)
    return render(
        request,
        "earnings/statement_page.html",
        {**statement_context(profile, year, month), "for_staff": True},
    )


@never_cache
@login_required
@require_GET
def statement_download(request, profile_id: int, year: int, month: int):
    staff_only(request)
    profile = get_object_or_404(InterviewerProfile, pk=profile_id)
    year, month = month_or_404(year, month)
    return statement_csv(
        statement_for(interviewer=profile, year=year, month=month),
        filename=f"mockri-statement-{profile.slug}-{year}-{month:02d}.csv",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def batches(request):
    """Payout batches, newest first, and the form making one."""
    staff_only(request)
    form = BatchForm(request.POST) if request.method == "POST" else BatchForm.last_month()
    if request.method == "POST" and form.is_valid():
        try:
            batch = payout_batch_create(staff_user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The batch has {batch.lines.count()} lines.")
            return redirect("earnings:console_batch", pk=batch.pk)
    return render(
        request,
        "earnings/console_batches.html",
        {
            "batches": batches_list(),
            "form": form,
            "minimum_paise": settings.PAYOUT_MINIMUM_PAISE,
        },
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_GET
def batch(request, pk: int):
    staff_only(request)
    payout_batch = get_object_or_404(PayoutBatch, pk=pk)
    return render(
        request,
        "earnings/console_batch.html",
        {"batch": payout_batch, "lines": batch_lines(payout_batch), "form": ReferenceForm()},
    )


@never_cache
@login_required
@require_GET
def batch_transfer_csv(request, pk: int):
    """The bank-transfer file: the full account numbers and UPI ids of the unpaid lines, from
    the payout details now (the line keeps the payee it was made with for the record)."""
    staff_only(request)
    payout_batch = get_object_or_404(PayoutBatch, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mockri-payout-{pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        ["line", "beneficiary_name", "method", "account_number", "ifsc", "upi_id", "amount_inr"]
    )
    for line in batch_lines(payout_batch):
        details = getattr(line.interviewer, "payout_details", None)
        if line.paid_at is not None:
            continue
        bank = details is not None and details.method == PayoutMethod.BANK
        writer.writerow(
            [
                line.pk,
                safe_cell(details.holder_name if details else "MISSING PAYOUT DETAILS"),
                details.method if details else "",
                details.account_number if bank else "",
                details.ifsc if bank else "",
                details.upi_id if details and not bank else "",
                f"{line.amount_paise // 100}.{line.amount_paise % 100:02d}",
            ]
        )
    return response


@login_required
@require_POST
def line_mark_paid(request, pk: int, line_id: int):
    staff_only(request)
    line = get_object_or_404(PayoutLine, pk=line_id, batch_id=pk)
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the transfer's reference.")
        return redirect("earnings:console_batch", pk=pk)
    try:
        payout_line_mark_paid(
            line=line, staff_user=request.user, reference=form.cleaned_data["reference"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{line.interviewer} is marked paid.")
    return redirect("earnings:console_batch", pk=pk)


@login_required
@require_POST
def batch_discard(request, pk: int):
    staff_only(request)
    payout_batch = get_object_or_404(PayoutBatch, pk=pk)
    try:
        payout_batch_discard(batch=payout_batch, staff_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("earnings:console_batch", pk=pk)
    messages.success(request, "The batch is discarded; its earnings wait for the next one.")
    return redirect("earnings:console_batches")
