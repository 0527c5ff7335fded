from django.urls import path

from bryggan.privacy import views

app_name = "privacy"

urlpatterns = [
    path("atkomstlogg/", views.access_log, name="access-log"),
    path("atkomstlogg/export.csv", views.access_log_export, name="access-log-export"),
    path("api-nycklar/", views.api_tokens, name="tokens"),
    path("api-nycklar/<id:pk>/aterkalla/", views.api_token_revoke, name="token-revoke"),
]

urlpatterns += [
    path("personer/", views.people, name="people"),
    path("person/<id:pk>/", views.person, name="person"),
    path("person/<id:pk>/skyddad-identitet/", views.protect, name="protect"),
    path("person/<id:pk>/export.zip", views.export, name="export"),
    path("person/<id:pk>/radera/", views.erase, name="erase"),
]

urlpatterns += [
    path("gallring/", views.retention, name="retention"),
    path("gallring/<str:kind>/", views.retention_policy, name="policy"),
    path("gallring-kor/", views.retention_run, name="retention-run"),
    path("person/<id:pk>/sparr/", views.hold_place, name="hold-place"),
    path("person/<id:pk>/sparr/<id:hold>/hav/", views.hold_release, name="hold-release"),
]
