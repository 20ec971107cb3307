"""The console's invoices page: every tax invoice and credit note, with the GST totals."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mockri.lib.access import staff_only

from .selectors import credit_notes_for_console, invoices_for_console, tax_totals
from .services import invoicing_enabled

PER_PAGE = 50


@never_cache
@login_required
@require_GET
def console_invoices(request):
    staff_only(request)
    return render(
        request,
        "invoices/console_invoices.html",
        {
            "invoices": Paginator(invoices_for_console(), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "credit_notes": credit_notes_for_console()[:PER_PAGE],
            "totals": tax_totals(),
            "enabled": invoicing_enabled(),
        },
    )
