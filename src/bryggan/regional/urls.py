from django.urls import path

from bryggan.regional import views

app_name = "regional"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("<id:pk>/", views.round_detail, name="round"),
]
