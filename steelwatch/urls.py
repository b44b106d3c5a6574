from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("steelwatch.core.urls")),
    path("accounts/", include("steelwatch.accounts.urls")),
    path("accounts/", include("steelwatch.geo.people_urls")),
    path("places/", include("steelwatch.geo.urls")),
    path("field/", include("steelwatch.field.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ledger/", include("steelwatch.registry.urls")),
    path("ledger/", include("steelwatch.registry.urls_excel")),
    path("power/", include("steelwatch.power.urls")),
    path("cases/", include("steelwatch.cases.urls")),
    path("tips/", include("steelwatch.tips.urls")),
    path("market/", include("steelwatch.market.urls")),
    path("public/sampling/", include("steelwatch.market.public_urls")),
    path("oversight/", include("steelwatch.oversight.urls")),
    path("credit/", include("steelwatch.credit.urls")),
    path("public/credit/", include("steelwatch.credit.public_urls")),
    path("public/", include("steelwatch.field.public_urls")),
    path("public/", include("steelwatch.tips.public_urls")),
    path("api/v1/", api.urls),
]
