from django.urls import path

from bryggan.matching import views

app_name = "matching"

urlpatterns = [
    path("annons/<id:pk>/", views.inputs, name="inputs"),
    path("annons/<id:pk>/kor/", views.run, name="start"),
    path("annons/<id:pk>/regel/", views.constraint_add, name="constraint-add"),
    path(
        "annons/<id:pk>/regel/<id:rule>/ta-bort/",
        views.constraint_remove,
        name="constraint-remove",
    ),
    path("annons/<id:pk>/enhet/<id:unit>/", views.ranking, name="ranking"),
    path("korning/<id:pk>/", views.run_detail, name="run"),
    path("korning/<id:pk>/andra/", views.override, name="override"),
    path("korning/<id:pk>/publicera/", views.publish, name="publish"),
    path("korning/<id:pk>/<slug:part>.json", views.download, name="download"),
]
