from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mockri.accounts.models import User, normalize_email
from mockri.lib.client_ip import client_ip
from mockri.lib.errors import PolicyViolation

from .forms import ApplicationForm, InvitationAccountForm
from .selectors import invitation_get_by_token
from .services import application_submit, invitation_accept


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    """Become an interviewer: the public application form."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        address = normalize_email(request.POST.get("email", ""))
        if not ratelimit.consume(request, action="interviewer_application", key=address):
            return render(request, "429.html", status=429)
        if form.is_valid():
            if not form.cleaned_data["website"]:  # a bot: thanked the same, nothing stored
                application_submit(
                    details=form.details(), ip_address=client_ip(request), now=timezone.now()
                )
            return render(request, "interviewers/application_sent.html")
    return render(
        request,
        "interviewers/application_form.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


def _invitation_gone(request, message: str):
    return render(request, "interviewers/invitation_gone.html", {"message": message}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The emailed link: a new interviewer chooses a password (or, with an account already,
    signs in to it and confirms), then goes on to two-factor setup and onboarding."""
    invitation = invitation_get_by_token(token=token)
    now = timezone.now()
    if invitation.used_at is not None or invitation.expires_at <= now:
        return _invitation_gone(
            request,
            "This invitation has already been used or has expired. Write to us for a new one.",
        )
    email = invitation.application.email
    account_exists = User.objects.filter(email=email).exists()
    signed_in = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation, "email": email, "account_exists": account_exists}
    if signed_in is not None and signed_in.email != email:
        return render(
            request, "interviewers/invitation.html", {**context, "wrong_account": True}, status=403
        )
    if account_exists and signed_in is None:
        login_url = f"{reverse('account_login')}?next={request.path}"
        return render(request, "interviewers/invitation.html", {**context, "login_url": login_url})
    form = InvitationAccountForm(request.POST or None, email=email) if not account_exists else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            account = invitation_accept(
                invitation=invitation,
                user=signed_in,
                password=form.cleaned_data["password1"] if form else "",
                now=now,
            )
        except PolicyViolation as refusal:
            return _invitation_gone(request, refusal.message)
        if signed_in is None:
            return perform_login(request, account, redirect_url=reverse("interviewers:onboarding"))
        return redirect("interviewers:onboarding")
    return render(
        request,
        "interviewers/invitation.html",
        {**context, "form": form},
        status=422 if form is not None and form.is_bound else 200,
    )
