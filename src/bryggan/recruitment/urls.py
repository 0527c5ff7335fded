from django.urls import path

from bryggan.recruitment import views_staff as views

app_name = "recruitment"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("omgang/ny/", views.round_edit, name="round-create"),
    path("omgang/<int:pk>/", views.round_edit, name="round-edit"),
    path("annons/ny/", views.posting_edit, name="posting-create"),
    path("annons/<int:pk>/", views.posting_detail, name="posting"),
    path("annons/<int:pk>/andra/", views.posting_edit, name="posting-edit"),
    path("annons/<int:pk>/status/<slug:action>/", views.posting_status, name="posting-status"),
    path("annons/<int:pk>/tavla/", views.board, name="board"),
    path("annons/<int:pk>/tider/", views.slot_create, name="slot-create"),
    path("ansokan/<int:pk>/", views.application_detail, name="application"),
    path("ansokan/<int:pk>/bedomning/", views.assess, name="assess"),
    path("ansokan/<int:pk>/utlamnande/", views.release_copy, name="release"),
    path("dokument/<int:pk>/", views.document_download, name="document"),
    path("evenemang/", views.events, name="events"),
    path("evenemang/ny/", views.event_edit, name="event-create"),
    path("evenemang/<int:pk>/", views.event_edit, name="event-edit"),
]
