import zoneinfo

from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from mockri.earnings.selectors import RELIABLE_AFTER_SESSIONS
from mockri.lib.clock import when

from .directory import DirectoryFilterForm, directory_page, filter_options
from .views import viewer_timezone


def _query(params: dict, **changes) -> str:
    """The query string of `params` with `changes` applied; None drops a key."""
    merged = {key: value for key, value in {**params, **changes}.items() if value}
    return "?" + urlencode(merged) if merged else "?"


@require_GET
def interviewer_directory(request):
    """Interviewers to choose from, filtered by the query string (so any view can be shared),
    each with their next free time in the viewer's zone. htmx requests get the results alone."""
    options = filter_options()
    form = DirectoryFilterForm(request.GET, **options)
    filters = form.filters()
    zone = viewer_timezone(request)
    cards, paginator, page = directory_page(filters=filters, now=timezone.now())
    viewer = zoneinfo.ZoneInfo(zone)
    for card in cards:
        if card.next_free:
            local = card.next_free.astimezone(viewer)
            card.next_free_label = when(local)
    # The query string as kept: only the valid filters, so links never carry a bad value on.
    kept = {
        key: (value.slug if key == "company" else value)
        for key, value in filters.items()
        if key != "page"
    }
    if not request.user.is_authenticated and request.GET.get("tz") == zone:
        kept["tz"] = zone
    loosen = [
        {"label": label, "href": _query(kept, **{key: None})}
        for key, label in [
            ("free", "any time, not just this week"),
            ("language", "any language"),
            ("seniority", "any level"),
            ("type", "any interview type"),
            ("company", "any company"),
        ]
        if key in kept
    ]
    context = {
        "form": form,
        "cards": cards,
        "kept": kept,
        "ignored": [error for errors in form.errors.values() for error in errors],
        "loosen": loosen,
        "page": page,
        "paginator": paginator,
        "previous_href": _query(kept, page=page - 1) if page > 1 else "",
        "next_href": _query(kept, page=page + 1) if page < paginator.num_pages else "",
        "viewer_timezone": zone,
        "reliable_after": RELIABLE_AFTER_SESSIONS,
        **options,
    }
    template = "bookings/directory.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)
