from django.urls import path

from bryggan.organisation import views

app_name = "organisation"

urlpatterns = [
    path("capacity/", views.capacity_overview, name="capacity"),
    path("<slug:resource>/", views.record_list, name="list"),
    path("<slug:resource>/new/", views.record_create, name="create"),
    path("<slug:resource>/<id:pk>/", views.record_detail, name="detail"),
    path("<slug:resource>/<id:pk>/edit/", views.record_edit, name="edit"),
]
