"""The console's packs page (/console/packs/): what is on sale and how it is used. Staff edit
pack definitions in the admin (linked from the page)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mockri.lib.access import staff_only

from .selectors import packs_usage


@never_cache
@login_required
@require_GET
def console_packs(request):
    """Each pack with its sales and credits: sold, granted, used, returned, expired, refunded
    and outstanding (held by candidates, not yet used)."""
    staff_only(request)
    packs = list(packs_usage())
    for pack in packs:
        # The ledger's signs (- for what left a balance) become counts for the table.
        pack.outstanding = pack.granted + pack.used + pack.returned + pack.expired + pack.refunded
        pack.used_net = -pack.used - pack.returned
        pack.expired, pack.refunded = -pack.expired, -pack.refunded
    return render(request, "packs/console_packs.html", {"packs": packs})
