from django.urls import path

from bryggan.demo import views

app_name = "demo"

urlpatterns = [
    path("utkorg/", views.outbox, name="outbox"),
    path("utkorg/<id:pk>/", views.outbox_message, name="outbox-message"),
]
