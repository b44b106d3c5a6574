from django.urls import path

from . import views, views_office

app_name = "field"
urlpatterns = [
    path("patrol/", views.patrol, name="patrol"),
    path("patrol/check-ins/", views.check_in, name="check_in"),
]
urlpatterns += views_office.urlpatterns
