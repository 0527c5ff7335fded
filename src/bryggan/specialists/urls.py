from django.urls import path, re_path

from bryggan.specialists import views

app_name = "specialists"

urlpatterns = [
    path("", views.index, name="index"),
    path("fraga/<id:pk>/", views.consultation, name="consultation"),
    path("kunskap/", views.notes, name="notes"),
    path("kunskap/<id:pk>/", views.note, name="note"),
    path("uppdateringar/", views.updates, name="updates"),
    path("uppdateringar/<id:pk>/", views.update, name="update"),
    re_path(r"^uppdateringar/(?P<token>[A-Za-z0-9_:\-.]{10,300})\.atom$", views.feed, name="feed"),
    path("roller/", views.roles, name="roles"),
]
