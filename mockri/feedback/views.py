from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mockri.bookings.enums import Actor, BookingStatus, FileKind
from mockri.bookings.selectors import booking_get_for_user
from mockri.lib.errors import DomainError

from . import services
from .forms import FocusSkillsForm, RatingForm, ReplyForm, ScorecardForm, rating_initial
from .selectors import (
    feedback_of_booking,
    focus_skills_of_booking,
    rating_of_booking,
    review_of_interviewer,
    scorecard_criteria,
)
from .skills import suggest_skills


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feedback_write(request, reference: str):
    """The assigned interviewer writes the scorecard of a session that has started (which marks
    it completed), or corrects it later. Anyone else, and a session that cannot have one: 404."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.INTERVIEWER:
        raise Http404
    feedback = feedback_of_booking(booking=booking)
    if feedback is None and services.feedback_refusal(booking, now=timezone.now()):
        raise Http404
    form = ScorecardForm(
        request.POST if request.method == "POST" else None,
        criteria=scorecard_criteria(booking=booking, feedback=feedback),
        feedback=feedback,
    )
    if form.is_bound and form.is_valid():
        save = services.feedback_correct if feedback else services.feedback_submit
        try:
            save(booking=booking, interviewer=request.user, **form.scorecard())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Your corrections are saved."
                if feedback
                else "Thank you: the candidate can now read your feedback.",
            )
            return redirect(booking)
    return render(
        request,
        "feedback/scorecard_form.html",
        {"booking": booking, "form": form, "feedback": feedback},
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rating_submit(request, reference: str):
    """The candidate of a completed session rates their interviewer, or changes the rating."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.CANDIDATE or booking.status != BookingStatus.COMPLETED:
        raise Http404
    rating = rating_of_booking(booking=booking)
    form = RatingForm(
        request.POST if request.method == "POST" else None,
        initial=rating_initial(rating),
        author_name=services.public_name(request.user.full_name),
    )
    if form.is_bound and form.is_valid():
        try:
            services.rating_submit(
                booking=booking,
                candidate=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                publish=form.cleaned_data["publish"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you for rating your interviewer.")
            return redirect(booking)
    return render(
        request,
        "feedback/rating_form.html",
        {"booking": booking, "form": form, "rating": rating},
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def focus_skills_choose(request, reference: str):
    """The interviewer reads the job description and chooses up to three focus skills for the
    scorecard, from suggestions drawn from its text or written themselves. Anyone else, and a
    session whose scorecard is written or that is not confirmed or completed: 404."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.INTERVIEWER:
        raise Http404
    if services.focus_skills_refusal(
        booking, has_feedback=feedback_of_booking(booking=booking) is not None
    ):
        raise Http404
    chosen = focus_skills_of_booking(booking=booking)
    data = request.POST if request.method == "POST" else None
    refusal = ""
    if data is not None:
        posted = FocusSkillsForm(data, suggestions=[], chosen=chosen)
        if posted.is_valid():
            try:
                services.focus_skills_set(
                    booking=booking, interviewer=request.user, labels=posted.labels()
                )
            except DomainError as error:
                refusal = error.message
            else:
                messages.success(request, "Focus skills saved: the scorecard will score them.")
                return redirect(booking)
    # The job description is read only to show the page, so a valid post never opens it.
    text = services.job_description_read(booking=booking, reader=request.user, role=role)
    suggestions = suggest_skills(text)
    form = FocusSkillsForm(data, suggestions=suggestions, chosen=chosen)
    if refusal and form.is_valid():
        form.add_error(None, refusal)
    return render(
        request,
        "feedback/focus_skills_form.html",
        {
            "booking": booking,
            "form": form,
            "suggestions": suggestions,
            "jd_file": booking.files.filter(kind=FileKind.JOB_DESCRIPTION).first(),
        },
        status=422 if data is not None else 200,
    )


@login_required
@require_POST
def review_reply(request, reference: str, review_id: int):
    """The interviewer replies, once, to a published review of their session."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    review = review_of_interviewer(interviewer_user=request.user, review_id=review_id)
    if role != Actor.INTERVIEWER or review is None or review.rating.booking_id != booking.pk:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reply"][0])
        return redirect(booking)
    try:
        services.review_reply(
            review=review, interviewer=request.user, text=form.cleaned_data["reply"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your reply is on your profile under the review.")
    return redirect(booking)
