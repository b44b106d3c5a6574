"""Ledger Excel pages, mounted under /ledger/ next to the registry's own pages (namespace ledger_excel)."""

from django.urls import path

from . import views_excel as views

app_name = "ledger_excel"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:token>/", views.import_preview, name="import_preview"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("export/", views.export, name="export"),
    path("export/<int:job_id>/download/", views.export_download, name="export_download"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path(
        "consolidation/<int:snapshot_id>/download/",
        views.consolidation_download,
        name="consolidation_download",
    ),
]
