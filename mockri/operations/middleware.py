from .funnel import funnel_count, funnel_flush_if_due
from .models import FunnelStep

# The booking steps whose page views the metrics' conversion counts, by URL name.
FUNNEL_PAGES = {
    "bookings:slots": FunnelStep.PICKER_VIEWED,
    "bookings:new": FunnelStep.DETAILS_VIEWED,
}


class FunnelCountMiddleware:
    """Counts each full showing of a booking step's page on the day's counter: no cookie, no
    visitor id. htmx swaps inside a page (another week of slots) are not new showings. The
    counts are tallied in the process and written every few seconds (operations.funnel), so the
    picker's cache hit stays free of queries; any request writes a tally that is due."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        step = FUNNEL_PAGES.get(match.view_name) if match is not None else None
        if (
            step is not None
            and request.method == "GET"
            and response.status_code == 200
            and "HX-Request" not in request.headers
        ):
            funnel_count(step=step)
        else:
            funnel_flush_if_due()
        return response
