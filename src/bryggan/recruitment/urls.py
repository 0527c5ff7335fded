from django.urls import path

from bryggan.recruitment import views_staff as views

app_name = "recruitment"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("omgang/ny/", views.round_edit, name="round-create"),
    path("omgang/<id:pk>/", views.round_edit, name="round-edit"),
    path("annons/ny/", views.posting_edit, name="posting-create"),
    path("annons/<id:pk>/", views.posting_detail, name="posting"),
    path("annons/<id:pk>/andra/", views.posting_edit, name="posting-edit"),
    path("annons/<id:pk>/status/<slug:action>/", views.posting_status, name="posting-status"),
    path("annons/<id:pk>/tavla/", views.board, name="board"),
    path("annons/<id:pk>/tider/", views.slot_create, name="slot-create"),
    path("annons/<id:pk>/avslag/<id:batch>/angra/", views.rejection_undo, name="rejection-undo"),
    path("ansokan/<id:pk>/", views.application_detail, name="application"),
    path("ansokan/<id:pk>/bedomning/", views.assess, name="assess"),
    path("ansokan/<id:pk>/utlamnande/", views.release_copy, name="release"),
    path("dokument/<id:pk>/", views.document_download, name="document"),
    path("dokument/<id:pk>/forhandsvisning/", views.document_preview, name="document-preview"),
    path("evenemang/", views.events, name="events"),
    path("evenemang/ny/", views.event_edit, name="event-create"),
    path("evenemang/<id:pk>/", views.event_edit, name="event-edit"),
]
