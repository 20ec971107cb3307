from django.conf import settings
from django.shortcuts import render

from .policy import current_policy


def privacy_policy(request):
    return render(
        request,
        "privacy/policy.html",
        {"policy": current_policy(), "policy_version": settings.PRIVACY_POLICY_VERSION},
    )
