"""Page-number pagination with bounds: a page number too large for the database's OFFSET is
refused with 422 like any other invalid parameter (the fuzzer found that it was a 500)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=10_000)
