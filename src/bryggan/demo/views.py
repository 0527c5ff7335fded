"""The demo's outbox in the browser: for the site administrator, and only while the demo's
e-mail backend is the outbox (otherwise these pages do not exist: 404)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from bryggan.demo.models import OutboxMessage

OUTBOX_BACKEND = "bryggan.demo.outbox.OutboxBackend"


def _allowed(request: HttpRequest) -> None:
    if settings.EMAIL_BACKEND != OUTBOX_BACKEND or not request.user.is_superuser:
        raise Http404


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    page = Paginator(OutboxMessage.objects.only("sent_at", "to", "subject"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "demo/outbox.html", {"page": page})


@require_GET
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    return render(
        request, "demo/outbox_message.html", {"m": get_object_or_404(OutboxMessage, pk=pk)}
    )
