from django.urls import path

from . import people_views as views

app_name = "people"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/reset/", views.user_reset, name="user_reset"),
    path("users/<int:user_id>/active/", views.user_active, name="user_active"),
    path("departments/", views.department_list, name="department_list"),
]
