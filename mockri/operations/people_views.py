"""The console's pages about people and emails: a person's page with its actions, and the
email log. Staff only (two-factor required by the middleware for /console/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mockri.accounts.emails import ACCESS_EMAILS
from mockri.lib.access import staff_only
from mockri.lib.errors import DomainError
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Refund

from .forms import EmailLogForm, ReasonForm, RequestActionForm
from .people import PersonStory, console_emails, console_person, email_kinds
from .services import (
    console_erasure_start,
    console_export_start,
    console_refund_check,
    console_refund_retry,
    console_resend_email,
    console_sessions_end,
    console_verification_resend,
)
from .views import _console_render, refund_state

EMAILS_PER_PAGE = 50


def _person_or_404(pk: int) -> PersonStory:
    story = console_person(pk=pk)
    if story is None:
        raise Http404("No such person.")
    return story


def _person_page(request, story: PersonStory, status: int = 200, **forms):
    context = {
        "story": story,
        "person": story.person,
        "one_time_kinds": ACCESS_EMAILS,
        "verify_form": forms.get("verify_form") or ReasonForm(prefix="verify"),
        "sessions_form": forms.get("sessions_form") or ReasonForm(prefix="sessions"),
        "export_form": forms.get("export_form")
        or RequestActionForm(prefix="export", requests=story.export_requests),
        "erasure_form": forms.get("erasure_form")
        or RequestActionForm(prefix="erasure", requests=story.erasure_requests),
        "refund_form": forms.get("refund_form"),
    }
    response = _console_render(request, "operations/console_person.html", context)
    response.status_code = status
    return response


@never_cache
@login_required
@require_GET
def person(request, pk: int):
    """Everything about one person, and what staff can do for them."""
    staff_only(request)
    return _person_page(request, _person_or_404(pk))


def _act_on_person(
    request, story: PersonStory, form, form_name: str, action, done: str, anchor: str = ""
):
    """Run one action from a bound form: success back to the person's page (at `anchor`) with a
    message, a refusal or the form's errors on the page again (422)."""
    if form.is_valid():
        try:
            action()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
            url = reverse("operations:person", args=[story.person.pk])
            return redirect(f"{url}#{anchor}" if anchor else url)
    return _person_page(request, story, status=422, **{form_name: form})


@login_required
@require_POST
def verification_resend(request, pk: int):
    staff_only(request)
    story = _person_or_404(pk)
    form = ReasonForm(request.POST, prefix="verify")
    return _act_on_person(
        request,
        story,
        form,
        "verify_form",
        lambda: console_verification_resend(
            person=story.person, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        f"A new confirmation link is on its way to {story.person.email}.",
    )


@login_required
@require_POST
def sessions_end(request, pk: int):
    staff_only(request)
    story = _person_or_404(pk)
    form = ReasonForm(request.POST, prefix="sessions")
    return _act_on_person(
        request,
        story,
        form,
        "sessions_form",
        lambda: console_sessions_end(
            person=story.person, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "Signed out on every device.",
    )


@login_required
@require_POST
def export_start(request, pk: int):
    staff_only(request)
    story = _person_or_404(pk)
    form = RequestActionForm(request.POST, prefix="export", requests=story.export_requests)
    return _act_on_person(
        request,
        story,
        form,
        "export_form",
        lambda: console_export_start(
            person=story.person,
            staff_user=request.user,
            grievance=form.cleaned_data["request"],
            reason=form.cleaned_data["reason"],
        ),
        "A copy of their data is being prepared; the link goes to their address.",
    )


@login_required
@require_POST
def erasure_start(request, pk: int):
    staff_only(request)
    story = _person_or_404(pk)
    form = RequestActionForm(request.POST, prefix="erasure", requests=story.erasure_requests)
    return _act_on_person(
        request,
        story,
        form,
        "erasure_form",
        lambda: console_erasure_start(
            person=story.person,
            staff_user=request.user,
            grievance=form.cleaned_data["request"],
            reason=form.cleaned_data["reason"],
        ),
        "Their account is closed and its data is being erased.",
    )


def _pack_refund_of(story: PersonStory, refund_id: int) -> Refund:
    """A refund of one of the person's own pack purchases (a booking's is on its own page)."""
    return get_object_or_404(
        Refund.objects.select_related("payment__pack_purchase__candidate"),
        pk=refund_id,
        payment__pack_purchase__candidate=story.person,
    )


@login_required
@require_POST
def refund_retry(request, pk: int, refund_id: int):
    staff_only(request)
    story = _person_or_404(pk)
    refund = _pack_refund_of(story, refund_id)
    form = ReasonForm(request.POST)
    return _act_on_person(
        request,
        story,
        form,
        "refund_form",
        lambda: console_refund_retry(
            refund=refund, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "The refund is asked for again; its state shows under Pack purchases.",
        anchor="pack-payments",
    )


@login_required
@require_POST
def refund_check(request, pk: int, refund_id: int):
    staff_only(request)
    story = _person_or_404(pk)
    refund = _pack_refund_of(story, refund_id)
    form = ReasonForm(request.POST)

    def check():
        checked = console_refund_check(
            refund=refund, staff_user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.info(request, f"The payment provider says the refund is {refund_state(checked)}.")

    return _act_on_person(
        request,
        story,
        form,
        "refund_form",
        check,
        "Checked with the payment provider; the refund's state shows under Pack purchases.",
        anchor="pack-payments",
    )


@never_cache
@login_required
@require_GET
def email_log(request):
    """The outbox, newest first, by recipient, kind and status, a page at a time."""
    staff_only(request)
    form = EmailLogForm(request.GET, kinds=email_kinds())
    paginator = Paginator(console_emails(**form.filters()), EMAILS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _console_render(
        request,
        "operations/console_emails.html",
        {
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "one_time_kinds": ACCESS_EMAILS,
        },
    )


@login_required
@require_POST
def email_resend(request, email_id: int):
    """Send an email of the log again; the reason goes to its booking's or person's history."""
    staff_only(request)
    email = get_object_or_404(OutboxEmail, pk=email_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why it is sent again: that goes in the history.")
    else:
        try:
            console_resend_email(
                email=email, staff_user=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The {email.kind} email to {email.to_address} is queued.")
    # Back to the same filters, re-encoded so nothing but a query string can come through.
    back = QueryDict(request.POST.get("back", "")).urlencode()
    log = reverse("operations:emails")
    return redirect(f"{log}?{back}" if back else log)
