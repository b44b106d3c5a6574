from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("grids/", views.grid_list, name="grid_list"),
    path("grids/new/", views.grid_create, name="grid_create"),
    path("grids/<int:grid_id>/", views.grid_detail, name="grid_detail"),
    path("grids/<int:grid_id>/officer/", views.grid_officer_assign, name="grid_officer_assign"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/new/", views.village_create, name="village_create"),
    path("villages/<str:code>/", views.village_rename, name="village_rename"),
    path("divisions/", views.division_children, name="division_children"),
    path("divisions/suggest/", views.division_suggest, name="division_suggest"),
]
