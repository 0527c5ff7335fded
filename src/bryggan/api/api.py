from __future__ import annotations

import json
from decimal import Decimal
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.params.models import BodyModel, FileModel, FormModel
from ninja.parser import Parser

from bryggan.api import errors
from bryggan.api.auth import API_AUTH
from bryggan.core.api_schema import ErrorOut
from bryggan.insights.api import router as insights_router
from bryggan.introduction.api import router as introduction_router
from bryggan.matching.api import router as matching_router
from bryggan.organisation.api import router as organisation_router
from bryggan.programme.api import router as programme_router
from bryggan.recruitment.api import public_router as public_recruitment_router
from bryggan.recruitment.api import router as recruitment_router
from bryggan.regional.api import public_router as regional_public_router
from bryggan.regional.api import router as regional_router
from bryggan.specialists.api import router as specialists_router

BODY_METHODS = {"POST", "PUT", "PATCH"}
# What a body may be sent as: JSON, or a form with a file for the upload operations.
BODY_TYPES = ("application/json", "multipart/form-data")

# The error answers every operation can give, all with the same JSON body (api/errors.py).
ERRORS_EVERYWHERE = {
    "400": "The request is malformed, or a rule refuses it (the message says which).",
    "404": "Not found, or not in your municipality.",
    "413": "The request is too large.",
    "429": "Too many requests; wait as long as Retry-After says.",
    "500": "Something went wrong on our side; nothing was saved.",
}
ERRORS_WITH_INPUT = {
    "422": "A parameter or a field of the body does not match the schema.",
}
ERRORS_WITH_BODY = {
    "415": "The body is not JSON (Content-Type: application/json).",
}
ERRORS_SIGNED_IN = {
    "401": "No valid API token or session.",
    "403": "Your role may not do this.",
}


class JsonParser(Parser):
    """JSON as JSON Schema reads it: 3.0 is the integer 3 (so an integer field takes it), and
    NaN or Infinity, which JSON does not have, make the body unreadable (400). No body at all
    reads as ``{}``: an operation whose fields all have defaults (publish) needs none, and one
    with required fields names them (422)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not request.body.strip():
            return {}
        return json.loads(request.body, parse_float=_number, parse_constant=_no_constant)


def _number(text: str) -> int | float:
    value = float(text)
    if value.is_integer() and abs(value) < 2**63:
        return int(Decimal(text))
    return value


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


class BrygganAPI(NinjaAPI):
    """The API, whose published schema says every answer an operation can give."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The integrators' documentation is in English, whatever the reader's language.
        with translation.override("en"):
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            return document_errors(schema)


def document_errors(schema: Any) -> Any:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            codes = dict(ERRORS_EVERYWHERE)
            if operation.get("parameters") or operation.get("requestBody"):
                codes.update(ERRORS_WITH_INPUT)
            if operation.get("requestBody"):
                codes.update(ERRORS_WITH_BODY)
            if operation.get("security"):
                codes.update(ERRORS_SIGNED_IN)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorOut"}
                            }
                        },
                    },
                )
    return schema


def _has_body(request: HttpRequest) -> bool:
    # From the header, without reading the body (an upload streams; a huge body is refused
    # by its own handler with 413).
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


def _carries_something(request: HttpRequest, content_type: str) -> bool:
    """Anything in a body sent to an operation that takes none: JSON other than ``{}`` or
    ``null``, or a form with fields or files (an empty form is what many clients send)."""
    if content_type == "application/json":
        return request.body.strip() not in (b"{}", b"null")
    try:
        return bool(request.POST) or bool(request.FILES)
    except MultiPartParserError:
        return True


def json_bodies_only(run):
    """A body sent as anything but JSON (or a file form, for uploads) is refused with 415
    before it is parsed, and a body sent to an operation that takes none with 400: never
    guessed at, never ignored, never a 500."""
    operation = getattr(run, "__self__", None)
    takes_body = operation is None or any(
        issubclass(model, (BodyModel, FormModel, FileModel)) for model in operation.models
    )

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method in BODY_METHODS and _has_body(request):
            content_type = request.content_type or ""
            if content_type not in BODY_TYPES:
                return api.create_response(
                    request,
                    {"detail": _("Send the body as JSON (Content-Type: application/json).")},
                    status=415,
                )
            if not takes_body and _carries_something(request, content_type):
                return api.create_response(
                    request, {"detail": _("This operation takes no body.")}, status=400
                )
        return run(request, *args, **kwargs)

    return wrapper


api = BrygganAPI(
    title="Bryggan API",
    version="1",
    description=(
        "The organisation, recruitment, matching and programme of a municipality in Bryggan. "
        "Authenticate with a personal API token (create one under *API-nycklar / API tokens* "
        "in Bryggan) sent as `Authorization: Bearer TOKEN`, or use the browser session "
        "(with its CSRF token on changes). Every call acts within your municipality and "
        "role; another municipality's records answer 404. Bodies are strict JSON: unknown "
        "fields and values of the wrong JSON type are refused with 422, and every error "
        "answers with the same JSON body (`ErrorOut`)."
    ),
    auth=API_AUTH,
    parser=JsonParser(),
    urls_namespace="api",
)
errors.install(api)
api.add_decorator(json_bodies_only, mode="view")
api.add_router("/organisation/", organisation_router)
api.add_router("/recruitment/", recruitment_router)
api.add_router("/matching/", matching_router)
api.add_router("/programme/", programme_router)
api.add_router("/introduction/", introduction_router)
api.add_router("/specialists/", specialists_router)
api.add_router("/insights/", insights_router)
api.add_router("/regional/public/", regional_public_router)
api.add_router("/regional/", regional_router)
api.add_router("/public/", public_recruitment_router)
