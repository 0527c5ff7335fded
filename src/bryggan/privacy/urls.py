from django.urls import path

from bryggan.privacy import views

app_name = "privacy"

urlpatterns = [
    path("atkomstlogg/", views.access_log, name="access-log"),
    path("atkomstlogg/export.csv", views.access_log_export, name="access-log-export"),
]
