from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.selectors import booking_get_for_user
from mockri.lib.errors import DomainError

from . import services
from .forms import RatingForm, ScorecardForm
from .selectors import feedback_of_booking, rating_of_booking, scorecard_criteria


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
    initial = {"score": rating.score, "comment": rating.comment} if rating else None
    form = RatingForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.rating_submit(
                booking=booking,
                candidate=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
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
