from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mockri.earnings.selectors import RELIABLE_AFTER_SESSIONS, reliable_interviewer_ids

from .selectors import (
    interview_types_listed,
    interviewer_with_types,
    interviewers_for_cards,
    interviewers_listed,
)


def type_list(request):
    return render(
        request, "catalogue/type_list.html", {"interview_types": interview_types_listed()}
    )


def type_detail(request, slug: str):
    interview_type = get_object_or_404(interview_types_listed(), slug=slug)
    interviewers = interviewers_for_cards().filter(interview_types=interview_type)
    return render(
        request,
        "catalogue/type_detail.html",
        {"interview_type": interview_type, "interviewers": interviewers},
    )


def interviewer_detail(request, slug: str):
    interviewer = get_object_or_404(interviewer_with_types(slug=slug))
    reliable = interviewer.pk in reliable_interviewer_ids([interviewer], now=timezone.now())
    return render(
        request,
        "catalogue/interviewer_detail.html",
        {
            "interviewer": interviewer,
            "reliable": reliable,
            "reliable_after": RELIABLE_AFTER_SESSIONS,
        },
    )


def interviewer_photo(request, slug: str):
    """A listed interviewer's photo: public, like the profile it illustrates."""
    interviewer = get_object_or_404(interviewers_listed().exclude(photo=""), slug=slug)
    response = FileResponse(
        interviewer.photo.open("rb"), content_type=interviewer.photo_content_type
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
