from django.urls import path

from . import views, views_office

app_name = "field"
urlpatterns = [
    path("patrol/", views.patrol, name="patrol"),
    path("patrol/check-ins/", views.check_in, name="check_in"),
    path("enterprises/<int:enterprise_id>/panel/", views.enterprise_panel, name="enterprise_panel"),
    path("cases/<int:case_id>/consultations/", views.case_consultations, name="case_consultations"),
]
urlpatterns += views_office.urlpatterns
