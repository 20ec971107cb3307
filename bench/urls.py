"""The project's URLs plus two baselines: the cheapest response Django's full stack can give,
and the cheapest signed-in form POST that writes (the booking POST's floor)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mockri.accounts.models import User
from mockri.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok")


@never_cache
@login_required
@require_POST
def post_floor(request):
    """What any signed-in form POST that writes pays before its own work: the session and the
    user, the CSRF check, the booking form's multipart body parsed, one UPDATE in a transaction
    and a redirect."""
    if "resume" not in request.FILES:
        return HttpResponseBadRequest("no file")
    with transaction.atomic():
        User.objects.filter(pk=request.user.pk).update(last_login=timezone.now())
    return redirect("bench_trivial")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("bench/post-floor/", post_floor, name="bench_post_floor"),
    *project_urlpatterns,
]
