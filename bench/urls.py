"""The project's URLs plus a baseline: the cheapest response Django's full stack can give."""

from django.http import HttpResponse
from django.urls import path

from mockri.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
