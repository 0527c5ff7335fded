"""Every API error is JSON with a clear message: {"detail": "...", "errors": {...}}."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import PermissionDeniedError

logger = logging.getLogger(__name__)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(PermissionDeniedError)
    def forbidden(request: HttpRequest, exc: Exception):
        return api.create_response(
            request, {"detail": _("You do not have permission to do this.")}, status=403
        )

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: Exception):
        return api.create_response(
            request,
            {"detail": _("Sign in, or send a valid API token as “Authorization: Bearer …”.")},
            status=401,
        )

    @api.exception_handler(InvalidInputError)
    def invalid(request: HttpRequest, exc: InvalidInputError):
        return api.create_response(
            request, {"detail": _("The input is not valid."), "errors": exc.errors}, status=400
        )

    @api.exception_handler(ValidationError)
    def schema_invalid(request: HttpRequest, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [str(p) for p in error.get("loc", []) if p not in ("body", "payload")]
            errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg")))
        return api.create_response(
            request, {"detail": _("The input is not valid."), "errors": errors}, status=422
        )

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def out_of_range(request: HttpRequest, exc: Exception):
        # A number too large for the database (an id, a page): the caller's input, not ours.
        return api.create_response(
            request, {"detail": _("A number in the request is out of range.")}, status=400
        )

    @api.exception_handler(MultiPartParserError)
    def unreadable_upload(request: HttpRequest, exc: Exception):
        # A form upload without its boundary, or cut off: the caller's request, not our fault.
        return api.create_response(
            request, {"detail": _("The upload could not be read; send it again.")}, status=400
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: Exception):
        return api.create_response(request, {"detail": _("The request is too large.")}, status=413)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception):
        # Logged with its traceback; the caller gets JSON, never an HTML error page.
        logger.exception("Unhandled API error on %s", request.path)
        return api.create_response(
            request, {"detail": _("Something went wrong; nothing was saved.")}, status=500
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
