"""The project's URLs plus the ledger Excel pages, until steelwatch/urls.py mounts them itself."""

from django.urls import include, path

from steelwatch.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "ledger_excel" for p in project_urlpatterns)
urlpatterns = project_urlpatterns + (
    [] if _mounted else [path("ledger/", include("steelwatch.registry.urls_excel"))]
)
