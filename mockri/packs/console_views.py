"""The console's packs pages (/console/packs/): what is on sale and how it is used, a form for
a new pack, a pack's edit page, and a switch to stop selling one. Like the coupons page, these
change definitions, not anyone's purchase, and are not kept as StaffActions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mockri.lib.access import staff_only
from mockri.lib.errors import PolicyViolation

from .forms import PackForm
from .models import Pack, PackPurchase
from .selectors import packs_usage
from .services import pack_save, pack_set_on_sale


def _saved(request, form: PackForm) -> Pack | None:
    """Save a bound form's pack through the service; None with the form's errors otherwise."""
    if not form.is_valid():
        return None
    try:
        return pack_save(pack=form.pack(), interview_types=form.cleaned_data["interview_types"])
    except PolicyViolation as refusal:
        form.add_error("interview_types", refusal.message)
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def console_packs(request):
    """Each pack with its sales and credits: sold, granted, used, returned, expired, refunded
    and outstanding (held by candidates, not yet used); and a new pack's form."""
    staff_only(request)
    status = 200
    if request.method == "POST":
        form = PackForm(request.POST)
        if (pack := _saved(request, form)) is not None:
            messages.success(request, f"Pack {pack.name} created and on sale.")
            return redirect("packs:console")
        status = 422
    else:
        form = PackForm()
    packs = list(packs_usage())
    for pack in packs:
        # The ledger's signs (- for what left a balance) become counts for the table.
        pack.outstanding = pack.granted + pack.used + pack.returned + pack.expired + pack.refunded
        pack.used_net = -pack.used - pack.returned
        pack.expired, pack.refunded = -pack.expired, -pack.refunded
    return render(
        request, "packs/console_packs.html", {"packs": packs, "form": form}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def console_pack_edit(request, pk: int):
    """Edit a pack's definition; purchases already made keep the terms they were sold with."""
    staff_only(request)
    pack = get_object_or_404(Pack, pk=pk)
    status = 200
    if request.method == "POST":
        form = PackForm(request.POST, instance=pack)
        if _saved(request, form) is not None:
            messages.success(request, f"Pack {pack.name} saved.")
            return redirect("packs:console")
        status = 422
    else:
        form = PackForm(instance=pack)
    return render(
        request,
        "packs/console_pack_edit.html",
        {"pack": pack, "form": form, "sold": PackPurchase.objects.filter(pack=pack).count()},
        status=status,
    )


@login_required
@require_POST
def console_pack_sale(request, pk: int):
    """Stop selling a pack, or sell it again."""
    staff_only(request)
    pack = get_object_or_404(Pack, pk=pk)
    pack_set_on_sale(pack=pack, on_sale=not pack.is_active)
    state = "is on sale again" if pack.is_active else "is no longer sold"
    messages.success(request, f"Pack {pack.name} {state}; purchases already made are unchanged.")
    return redirect("packs:console")
