from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import credit_note_get_for_user, invoice_get_for_user


@never_cache
@login_required
@require_GET
def invoice(request, pk: int):
    """A tax invoice, printable, for its candidate and staff."""
    document = invoice_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "invoices/document.html",
        {"document": document, "title": f"Tax invoice {document.number}"},
    )


@never_cache
@login_required
@require_GET
def credit_note(request, pk: int):
    """A credit note for a refund, printable, for its candidate and staff."""
    document = credit_note_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "invoices/document.html",
        {
            "document": document,
            "title": f"Credit note {document.number}",
            "is_credit_note": True,
        },
    )
