from django.urls import path

from . import views

app_name = "tips"
urlpatterns = [
    path("", views.tip_list_page, name="tip_list"),
    path("new/", views.tip_new, name="tip_new"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("reveals/", views.identity_reveals, name="identity_reveals"),
    path("enterprise/<int:enterprise_id>/", views.enterprise_tips, name="enterprise_tips"),
    path("<int:tip_id>/", views.tip_detail, name="tip_detail"),
    path("<int:tip_id>/reveal/", views.tip_reveal, name="tip_reveal"),
    path("<int:tip_id>/do/<slug:action>/", views.tip_action, name="tip_action"),
    path("<int:tip_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
