from django.urls import path

from . import views_public

app_name = "credit_public"
urlpatterns = [path("", views_public.public_list, name="list")]
