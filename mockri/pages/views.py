from django.conf import settings
from django.shortcuts import render

from mockri.catalogue.selectors import interview_types_listed, interviewers_for_cards


def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "interview_types": interview_types_listed(),
            "interviewers": interviewers_for_cards()[:6],
        },
    )


def terms(request):
    return render(request, "pages/terms.html")


def refunds(request):
    return render(
        request,
        "pages/refunds.html",
        {"pack_refund_window_days": settings.PACK_REFUND_WINDOW_DAYS},
    )


def contact(request):
    return render(request, "pages/contact.html")
