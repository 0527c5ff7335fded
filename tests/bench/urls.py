"""Bryggan's URLs plus a trivial view: the reference every page timing is compared with."""

from django.http import HttpResponse
from django.urls import path

from bryggan.config.urls import urlpatterns as bryggan_urls


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *bryggan_urls]
