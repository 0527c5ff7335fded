"""Page-number pagination with bounds: a page number too large for the database's OFFSET is
refused with 422 like any other invalid parameter (the fuzzer found that it was a 500). And
pages that count at most so many rows, so that a page costs the same however many there are."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=10_000)


class CappedPaginator(Paginator):
    """Counts no further than ``cap`` rows: counting every row waiting in a large
    municipality cost more than showing the page. ``more`` says there are more than ``cap``
    (the page says so; its page numbers go as far as the cap)."""

    def __init__(self, object_list: QuerySet, per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        return self.rows.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def more(self) -> bool:
        return self._counted > self.cap
