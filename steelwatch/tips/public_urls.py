from django.urls import path

from . import public_views

app_name = "tips_public"
urlpatterns = [
    path("tips/", public_views.submit, name="submit"),
    path("tips/status/", public_views.status, name="status"),
]
