"""Ledger pages under /ledger/. The Excel pages (import, export, consolidation) are mounted next to these
by steelwatch/urls.py under their own namespace `ledger_excel` (registry/urls_excel.py)."""

from django.urls import path

from . import views, views_licences

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("lists/<slug:view>/", views.enterprise_list, name="enterprise_view"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:enterprise_id>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:enterprise_id>/furnaces/new/", views.furnace_create, name="furnace_create"),
    path(
        "enterprises/<int:enterprise_id>/power-accounts/new/",
        views.power_account_create,
        name="power_account_create",
    ),
    path("enterprises/<int:enterprise_id>/licences/new/", views.licence_create, name="licence_create"),
    path("enterprises/<int:enterprise_id>/watchlist/add/", views.watchlist_add, name="watchlist_add"),
    path(
        "enterprises/<int:enterprise_id>/watchlist/remove/", views.watchlist_remove, name="watchlist_remove"
    ),
    path("enterprises/<int:enterprise_id>/supervisor/", views.supervisor_assign, name="supervisor_assign"),
    path("enterprises/suggest/", views.enterprise_suggest, name="enterprise_suggest"),
    path("power-accounts/suggest/", views.account_suggest, name="account_suggest"),
    path("uscc/<str:uscc>/", views.enterprise_by_uscc, name="enterprise_by_uscc"),
    path("furnaces/<int:furnace_id>/edit/", views.furnace_edit, name="furnace_edit"),
    path("power-accounts/<str:account_id>/edit/", views.power_account_edit, name="power_account_edit"),
    path(
        "power-accounts/<str:account_id>/capacity-requests/new/",
        views.capacity_request_create,
        name="capacity_request_create",
    ),
    path("capacity-requests/", views.capacity_request_list, name="capacity_request_list"),
    path(
        "capacity-requests/<int:request_id>/decide/",
        views.capacity_request_decide,
        name="capacity_request_decide",
    ),
    path("licences/<int:licence_id>/edit/", views.licence_edit, name="licence_edit"),
    path("licences/", views_licences.licence_board, name="licence_board"),
    path("licences/<int:licence_id>/", views_licences.licence_detail, name="licence_detail"),
    path("licences/<int:licence_id>/<slug:action>/", views_licences.licence_action, name="licence_action"),
]
# Already mounted by steelwatch/urls.py as its own namespace, so not included here:
# path("", include("steelwatch.registry.urls_excel")),
