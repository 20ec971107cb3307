import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render

from .logs import request_id_var

request_logger = logging.getLogger("mockri.request")
# Vercel's request id looks like "bom1::sin1::7xk2p-1733500000000-a1b2c3d4e5f6".
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,127}")


class RequestIdMiddleware:
    """Names each request, for its log lines and its X-Request-ID response header: Vercel's
    x-vercel-id when present (so Mockri's lines match Vercel's own), else a new id. Logs one
    line per request: method, path, status and duration; never the query string or form
    values, which may hold personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("x-vercel-id", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header, which Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is larger than REQUEST_BODY_MAX_BYTES with a 413,
    before anything reads it: otherwise a form's view would read (and spool to disk) the whole
    body only to refuse it afterwards. A body without Content-Length (chunked) is never read
    under WSGI (Django reads Content-Length bytes, so none), and the proxy limits it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body for a malformed length either
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            return render(
                request,
                "413.html",
                {"limit_mb": settings.BOOKING_UPLOAD_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class RefuseNulCharactersMiddleware:
    """A 400 for a path, query or form value with a NUL character: PostgreSQL text cannot hold
    one, so any lookup by such a value would be a 500 (forms refuse it; lookups do not).

    Form values are read as CsrfViewMiddleware reads them anyway; views exempt from CSRF
    (webhooks) are left alone, since they read their raw body, which reading the form would use
    up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("A NUL character is not allowed here.")
        if not getattr(view_func, "csrf_exempt", False) and _has_nul(request.POST):
            raise BadRequest("A NUL character is not allowed here.")
        return None


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
