"""The applicant's own data-protection page, from their private link (no account)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from bryggan.privacy.subject import export_for
from bryggan.recruitment.models import Application
from bryggan.recruitment.views_public import link_view


@require_POST
@link_view
def my_data(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    """The applicant's right of access: everything held about them, from their own link
    (their own data, so not an access to someone else's: not logged)."""
    content = export_for(actor=None, person=application.person, by_the_person=True)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter.zip"'
    return response
