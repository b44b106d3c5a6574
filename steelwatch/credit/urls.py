from django.urls import path

from . import views, views_exchange, views_screening

app_name = "credit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("new/", views.entry_create, name="entry_create"),
    path("<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:entry_id>/transition/", views.entry_transition, name="entry_transition"),
    path("<int:entry_id>/statement/", views.entry_statement, name="entry_statement"),
    path("<int:entry_id>/repair/", views.entry_repair, name="entry_repair"),
    path("proposals/<int:proposal_id>/entry/", views.entry_from_proposal, name="entry_from_proposal"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:measure_id>/edit/", views.measure_edit, name="measure_edit"),
    path("department/", views.department_entries, name="department_entries"),
    path("applied/<int:entry_measure_id>/action/", views.measure_action, name="measure_action"),
    path("screen/", views_screening.screen_page, name="screen"),
    path("screen/enterprise/<int:enterprise_id>/", views_screening.enterprise_panel, name="enterprise_panel"),
    path("screen/decide/", views_screening.decide, name="screen_decide"),
    path("export/", views_exchange.export_entries, name="export"),
    path("exchange/<str:kind>.xlsx", views_exchange.exchange_file, name="exchange_file"),
    path("exchange/import/", views_exchange.exchange_import, name="exchange_import"),
]
