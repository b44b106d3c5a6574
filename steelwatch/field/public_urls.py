from django.urls import path

from . import public_views

app_name = "field_public"
urlpatterns = [
    path("draws/", public_views.draw_list, name="draw_list"),
    path("draws/<int:draw_id>/record.json", public_views.draw_record, name="draw_record"),
]
