from django.urls import path

from . import views

app_name = "power"
urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/outcomes/", views.outcomes, name="outcomes"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/dismiss/", views.alert_dismiss, name="alert_dismiss"),
    path("alerts/<int:alert_id>/escalate/", views.alert_escalate, name="alert_escalate"),
    path("readings/upload/", views.upload, name="upload"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("enterprise/<int:enterprise_id>/alerts/", views.enterprise_alerts, name="enterprise_alerts"),
]
