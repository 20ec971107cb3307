"""The console's review moderation: /console/reviews/. Candidates ask to publish their rating's
comment; nothing shows on a profile until staff publish it here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mockri.feedback.forms import ModerationForm
from mockri.feedback.selectors import (
    review_for_moderation,
    reviews_moderated_recently,
    reviews_to_moderate,
)
from mockri.feedback.services import review_moderate
from mockri.lib.access import staff_only
from mockri.lib.errors import DomainError


@never_cache
@login_required
@require_GET
def console_reviews(request):
    """Reviews waiting for moderation, oldest first, and the latest decisions."""
    staff_only(request)
    return render(
        request,
        "operations/console_reviews.html",
        {
            "pending": reviews_to_moderate(),
            "moderated": reviews_moderated_recently(),
        },
    )


@login_required
@require_POST
def console_review_moderate(request, review_id: int):
    """Publish or decline one review."""
    staff_only(request)
    review = review_for_moderation(review_id=review_id)
    if review is None:
        raise Http404
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose to publish or decline the review.")
        return redirect("console_reviews:list")
    publish = form.cleaned_data["decision"] == "publish"
    try:
        review_moderate(review=review, staff_user=request.user, publish=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The review is published." if publish else "Review declined.")
    return redirect("console_reviews:list")
