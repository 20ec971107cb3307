from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mockri.pages.urls")),
    path("", include("mockri.catalogue.urls")),
    path("", include("mockri.privacy.urls")),
    path("", include("mockri.operations.urls")),
    path("admin/", admin.site.urls),
]
