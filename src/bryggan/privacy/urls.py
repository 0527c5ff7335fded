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

urlpatterns += [
    path("gallring/", views.retention, name="retention"),
    path("gallring/<str:kind>/", views.retention_policy, name="policy"),
    path("gallring-kor/", views.retention_run, name="retention-run"),
    path("person/<int:pk>/sparr/", views.hold_place, name="hold-place"),
    path("person/<int:pk>/sparr/<int:hold>/hav/", views.hold_release, name="hold-release"),
]
