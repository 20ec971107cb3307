from django.http import Http404


def staff_only(request) -> None:
    """The console's pages for anyone but staff: the same 404 as a page that does not exist.
    (Staff themselves pass two-factor first: accounts.middleware.)"""
    if not request.user.is_staff:
        raise Http404
