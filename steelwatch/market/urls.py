from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("", views.home, name="home"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/new/", views.sample_new, name="sample_new"),
    path("samples/refusal/", views.refusal_new, name="refusal_new"),
    path("samples/<int:sample_id>/", views.sample_detail, name="sample_detail"),
    path("samples/<int:sample_id>/<str:step>/", views.sample_step, name="sample_step"),
    path("photos/<int:photo_id>/", views.sample_photo, name="sample_photo"),
    path("rounds/", views.round_list, name="round_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/lab-template/", views.round_lab_template, name="round_lab_template"),
    path("rounds/<int:round_id>/lab-upload/", views.round_lab_upload, name="round_lab_upload"),
    path("rounds/<int:round_id>/lab-upload/<uuid:token>/", views.round_lab_preview, name="round_lab_preview"),
    path("rounds/<int:round_id>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:round_id>/publication.xlsx", views.round_publication, name="round_publication"),
    path("goods/", views.supply_list, name="supply_list"),
    path("goods/new/", views.supply_new, name="supply_new"),
    path("goods/import/", views.supply_import, name="supply_import"),
    path("goods/import/<uuid:token>/", views.supply_import_preview, name="supply_import_preview"),
    path("goods/template.xlsx", views.supply_template, name="supply_template"),
    path("sellers/<int:enterprise_id>/", views.seller_detail, name="seller_detail"),
]
