from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("steelwatch.core.urls")),
    path("accounts/", include("steelwatch.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ledger/", include("steelwatch.registry.urls")),
    path("ledger/", include("steelwatch.registry.urls_excel")),
    path("power/", include("steelwatch.power.urls")),
    path("cases/", include("steelwatch.cases.urls")),
    path("tips/", include("steelwatch.tips.urls")),
    path("public/", include("steelwatch.field.public_urls")),
    path("public/", include("steelwatch.tips.public_urls")),
    path("api/v1/", api.urls),
]
