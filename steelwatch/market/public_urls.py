from django.urls import path

from . import views

app_name = "market_public"
urlpatterns = [
    path("", views.public_rounds, name="rounds"),
    path("<int:round_id>/", views.public_round, name="round"),
]
