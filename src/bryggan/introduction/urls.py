from django.urls import path, re_path

from bryggan.introduction import views

app_name = "introduction"

urlpatterns = [
    path("", views.index, name="index"),
    path("program/<id:pk>/", views.programme, name="programme"),
    path("kull/<id:pk>/", views.cohort, name="cohort"),
    re_path(r"^kull/(?P<pk>[0-9]{1,18})/schema\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("enheter/", views.units, name="units"),
    path("mitt-onskemal/<id:pk>/", views.wish, name="wish"),
    path("enhet/<id:pk>/", views.unit, name="unit"),
    re_path(r"^kalender/(?P<token>[A-Za-z0-9_:\-.]{10,400})\.ics$", views.feed, name="feed"),
]
