from django.urls import path

from bryggan.identity import views

app_name = "identity"

urlpatterns = [
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/callback/", views.callback, name="callback"),
]
