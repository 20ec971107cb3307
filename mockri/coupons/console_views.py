"""The console's coupons page: each coupon with its usage, a form for a new one, and a switch
to stop one being used."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mockri.lib.access import staff_only

from .forms import CouponCreateForm
from .models import Coupon
from .selectors import coupons_with_usage
from .services import coupon_set_active


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def console_coupons(request):
    staff_only(request)
    status = 200
    if request.method == "POST":
        form = CouponCreateForm(request.POST)
        if form.is_valid():
            coupon = form.save()
            messages.success(request, f"Coupon {coupon.code} created.")
            return redirect("coupons:console")
        status = 422
    else:
        form = CouponCreateForm()
    return render(
        request,
        "coupons/console_coupons.html",
        {"coupons": coupons_with_usage(), "form": form},
        status=status,
    )


@login_required
@require_POST
def console_coupon_toggle(request, pk: int):
    staff_only(request)
    coupon = get_object_or_404(Coupon, pk=pk)
    coupon_set_active(coupon=coupon, active=not coupon.is_active)
    state = "can be used again" if coupon.is_active else "can no longer be used"
    messages.success(request, f"Coupon {coupon.code} {state}.")
    return redirect("coupons:console")
