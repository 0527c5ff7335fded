from django.urls import path

from bryggan.privacy import views

app_name = "privacy"

urlpatterns = [
    path("atkomstlogg/", views.access_log, name="access-log"),
    path("atkomstlogg/export.csv", views.access_log_export, name="access-log-export"),
]

urlpatterns += [
    path("personer/", views.people, name="people"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/<int:pk>/skyddad-identitet/", views.protect, name="protect"),
    path("person/<int:pk>/export.zip", views.export, name="export"),
    path("person/<int:pk>/radera/", views.erase, name="erase"),
]
