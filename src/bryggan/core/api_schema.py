"""The API's contract for request bodies, in one place: strict JSON and precise types.

Every request body is an ``Input``: no field the schema does not name (so a typo in a field
name is a 422, not silently ignored), no coercion of one JSON type into another (``"5"`` is
not the number 5, ``"true"`` is not a boolean), dates as ISO dates, ids as positive integers
and numbers as numbers with the bounds the forms apply. The published OpenAPI schema says
exactly this, so a client generated from it sends what the server accepts.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1  # the database's bigint

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", _("Write the date as YYYY-MM-DD."))


def _iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            return datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            pass
    raise PydanticCustomError(
        "datetime",
        _("Write the time as YYYY-MM-DDTHH:MM:SS with its offset, e.g. 2027-02-01T09:00:00+01:00."),
    )


IsoDate = Annotated[
    date, PlainValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})
]
IsoDateTime = Annotated[
    datetime,
    PlainValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    """A request body: unknown fields and loosely typed values are refused with 422."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorOut(Schema):
    """Every refusal: a message for a person, and per field what is wrong (on 400 and 422)."""

    detail: str
    errors: dict[str, list[str]] | None = None


def one_of(values: list[str]) -> Any:
    """A string that must be one of ``values`` (a JSON-schema enum, checked with 422)."""
    allowed = list(values)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        raise PydanticCustomError(
            "enum", _("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}
        )

    return Annotated[
        str, PlainValidator(check), WithJsonSchema({"type": "string", "enum": allowed})
    ]


def text(max_length: int, *, required: bool = False) -> Any:
    """A string of at most ``max_length`` characters (and at least one, when required)."""
    return Annotated[str, Field(max_length=max_length, min_length=1 if required else 0)]
