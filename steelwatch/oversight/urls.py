from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/copy/", views.campaign_copy, name="campaign_copy"),
    path("campaigns/<int:campaign_id>/summary.<str:fmt>", views.summary_download, name="summary"),
    path("tasks/<int:unit_id>/", views.task_progress, name="task_progress"),
    path("reports/<int:round_id>/", views.report_round, name="report_round"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("pledges/<int:round_id>/", views.pledge_detail, name="pledge"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/issue/", views.evaluation_issue, name="evaluation_issue"),
    path("units/<str:code>/", views.unit_page, name="unit"),
    path("rectifications/<int:rectification_id>/", views.rectification_action, name="rectification_action"),
    path("documents/<int:document_id>/", views.document_pdf, name="document"),
]
