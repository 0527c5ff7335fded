"""Ids from a request, read once: a foreign, missing or malformed id answers the same."""

from __future__ import annotations

from django.http import Http404

# The largest id a database key holds (64-bit); anything longer matches no row.
MAX_ID = 2**63 - 1


class BoundedIntConverter:
    """The <id:…> path converter: Django's <int:…>, but at most 18 digits. A longer number
    cannot be an id, and passing it on overflows the database driver (a 500), not a 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def id_or_404(value: object) -> int:
    """The id as an int, or 404 when it is not one."""
    try:
        number = int(str(value))
    except ValueError:
        raise Http404 from None
    if not 0 <= number <= MAX_ID:
        raise Http404
    return number


def id_or_nothing(value: object) -> int:
    """The id as an int, or -1 (which matches no row) when it is not one."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else -1
