"""The console's privacy requests and grievances: the list, soonest due first, and a request's
page with its actions (answer; start an export or an erasure when its owner made it). Staff
only (two-factor required by the middleware for /console/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mockri.accounts.emails import ACCESS_EMAILS
from mockri.lib.access import staff_only
from mockri.lib.errors import DomainError

from .forms import GrievanceAnswerForm, GrievanceFilterForm, ReasonForm
from .grievances import GrievanceStory, console_grievance, console_grievances, grievance_urgency
from .selectors import GRIEVANCE_WARNING
from .services import console_grievance_answer, console_grievance_erasure, console_grievance_export
from .views import _console_render

GRIEVANCES_PER_PAGE = 50


@never_cache
@login_required
@require_GET
def grievance_list(request):
    """Privacy requests and grievances: open first, soonest due first; by status, kind, and a
    reference or address; a page at a time."""
    staff_only(request)
    form = GrievanceFilterForm(request.GET)
    paginator = Paginator(console_grievances(**form.filters()), GRIEVANCES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(grievance, grievance_urgency(grievance, now=now)) for grievance in page]
    query = request.GET.copy()
    query.pop("page", None)
    return _console_render(
        request,
        "operations/console_grievances.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filter_query": query.urlencode(),
            "warning_days": GRIEVANCE_WARNING.days,
        },
    )


def _story_or_404(reference: str) -> GrievanceStory:
    story = console_grievance(reference=reference)
    if story is None:
        raise Http404("No such request.")
    return story


def _grievance_page(request, story: GrievanceStory, status: int = 200, **forms):
    grievance = story.grievance
    now = timezone.now()
    context = {
        "story": story,
        "grievance": grievance,
        "urgency": grievance_urgency(grievance, now=now),
        "time_left": grievance.due_at - now,
        "one_time_kinds": ACCESS_EMAILS,
        "answer_form": forms.get("answer_form")
        or GrievanceAnswerForm(prefix="answer", initial={"reply": grievance.reply}),
        "export_form": forms.get("export_form") or ReasonForm(prefix="export"),
        "erasure_form": forms.get("erasure_form") or ReasonForm(prefix="erasure"),
    }
    response = _console_render(request, "operations/console_grievance.html", context)
    response.status_code = status
    return response


@never_cache
@login_required
@require_GET
def grievance_detail(request, reference: str):
    """One request: what was asked, by whom, when it is due, and what staff can do."""
    staff_only(request)
    return _grievance_page(request, _story_or_404(reference))


def _act_on_grievance(request, story: GrievanceStory, form, form_name: str, action, done):
    """Run one action from a bound form: success back to the request's page with a message
    (`done`, or what `done` makes of the action's result); a refusal or the form's errors on the
    page again (422)."""
    if form.is_valid():
        try:
            result = action()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect("operations:grievance", reference=story.grievance.reference)
    return _grievance_page(request, story, status=422, **{form_name: form})


@login_required
@require_POST
def grievance_answer(request, reference: str):
    staff_only(request)
    story = _story_or_404(reference)
    form = GrievanceAnswerForm(request.POST, prefix="answer")
    replied_before = story.grievance.reply

    def answered(grievance) -> str:
        said = f"{reference} is {grievance.get_status_display().lower()}"
        if grievance.reply.strip() and grievance.reply != replied_before:
            return f"{said}; the reply is on its way to {grievance.email}."
        return f"{said}."

    return _act_on_grievance(
        request,
        story,
        form,
        "answer_form",
        lambda: console_grievance_answer(
            grievance=story.grievance,
            staff_user=request.user,
            reply=form.cleaned_data["reply"],
            status=form.cleaned_data["status"],
        ),
        answered,
    )


@login_required
@require_POST
def grievance_export(request, reference: str):
    staff_only(request)
    story = _story_or_404(reference)
    form = ReasonForm(request.POST, prefix="export")
    return _act_on_grievance(
        request,
        story,
        form,
        "export_form",
        lambda: console_grievance_export(
            grievance=story.grievance,
            staff_user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        f"{reference}: a copy of their data is being prepared; the link goes to their email.",
    )


@login_required
@require_POST
def grievance_erasure(request, reference: str):
    staff_only(request)
    story = _story_or_404(reference)
    form = ReasonForm(request.POST, prefix="erasure")
    return _act_on_grievance(
        request,
        story,
        form,
        "erasure_form",
        lambda: console_grievance_erasure(
            grievance=story.grievance,
            staff_user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        f"{reference}: their account is deleted and its data is being erased.",
    )
