from django.urls import path

from bryggan.privacy import views_public

app_name = "privacy-public"

urlpatterns = [
    path("ansokan/<str:token>/mina-uppgifter.zip", views_public.my_data, name="my-data"),
]
