from django.urls import path

from bryggan.matching import views

app_name = "matching"

urlpatterns = [
    path("annons/<int:pk>/", views.inputs, name="inputs"),
    path("annons/<int:pk>/kor/", views.run, name="start"),
    path("annons/<int:pk>/regel/", views.constraint_add, name="constraint-add"),
    path(
        "annons/<int:pk>/regel/<int:rule>/ta-bort/",
        views.constraint_remove,
        name="constraint-remove",
    ),
    path("annons/<int:pk>/enhet/<int:unit>/", views.ranking, name="ranking"),
    path("korning/<int:pk>/", views.run_detail, name="run"),
    path("korning/<int:pk>/andra/", views.override, name="override"),
    path("korning/<int:pk>/publicera/", views.publish, name="publish"),
    path("korning/<int:pk>/<slug:part>.json", views.download, name="download"),
]
