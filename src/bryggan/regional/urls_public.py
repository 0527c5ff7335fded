from django.urls import path

from bryggan.regional import views

app_name = "regional-public"

urlpatterns = [
    path("region/resultat/<str:token>/", views.result, name="result"),
    path("region/<slug:slug>/", views.public_round, name="round"),
    path("region/<slug:slug>/ansok/", views.public_apply, name="apply"),
]
