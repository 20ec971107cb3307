"""The endpoints the booking forms' script sends a file through in parts (upload_services):
signed in, CSRF-checked (the X-CSRFToken header), rate-limited, JSON out. A refusal answers
{"error": message} with the status UploadRefused carries."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import upload_services
from .enums import FileKind
from .ratelimits import rate_limit_consume
from .upload_services import UploadRefused

TOO_MANY = "You've sent many files in a short while. Please wait a minute and try again."


class UploadStartForm(forms.Form):
    kind = forms.ChoiceField(choices=FileKind.choices)
    size = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    name = forms.CharField(max_length=1000, required=False)


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _limited(request) -> bool:
    return not rate_limit_consume(request, action="upload", user=request.user)


@login_required
@require_POST
def upload_start(request):
    """{kind, size, name} → the upload's id, its part size and count, and where to send them."""
    if _limited(request):
        return _refused(TOO_MANY, 429)
    form = UploadStartForm(request.POST)
    if not form.is_valid():
        return _refused("Say which file (kind), its size in bytes and its name.", 400)
    try:
        upload = upload_services.upload_start(
            owner=request.user,
            kind=form.cleaned_data["kind"],
            size_bytes=form.cleaned_data["size"],
            name=form.cleaned_data["name"],
            now=timezone.now(),
        )
    except UploadRefused as error:
        return _refused(error.message, error.status)
    first_part = reverse("bookings:upload_part", kwargs={"upload_id": upload.pk, "number": 0})
    return JsonResponse(
        {
            "id": str(upload.pk),
            "part_size": upload.part_size_bytes,
            "parts": upload.part_count,
            "parts_url": first_part.removesuffix("0/"),
            "complete_url": reverse("bookings:upload_complete", kwargs={"upload_id": upload.pk}),
        },
        status=201,
    )


@login_required
@require_POST
def upload_part(request, upload_id, number: int):
    """One part, as the multipart file field `part`."""
    if _limited(request):
        return _refused(TOO_MANY, 429)
    part = request.FILES.get("part")
    if part is None:
        return _refused("Send the part as the file field 'part'.", 400)
    try:
        upload = upload_services.upload_part_add(
            owner=request.user, upload_id=upload_id, number=number, part=part, now=timezone.now()
        )
    except UploadRefused as error:
        return _refused(error.message, error.status)
    return JsonResponse({"received": upload.parts_received, "parts": upload.part_count})


@login_required
@require_POST
def upload_complete(request, upload_id):
    """Join and check the parts: the token the form then posts instead of the file."""
    if _limited(request):
        return _refused(TOO_MANY, 429)
    try:
        upload = upload_services.upload_complete(
            owner=request.user, upload_id=upload_id, now=timezone.now()
        )
    except UploadRefused as error:
        return _refused(error.message, error.status)
    return JsonResponse({"token": str(upload.pk), "name": upload.name, "size": upload.size_bytes})
