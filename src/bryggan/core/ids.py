"""Ids from a request, read once: a foreign, missing or malformed id answers the same."""

from __future__ import annotations

from django.http import Http404


def id_or_404(value: object) -> int:
    """The id as an int, or 404 when it is not one."""
    try:
        return int(str(value))
    except ValueError:
        raise Http404 from None


def id_or_nothing(value: object) -> int:
    """The id as an int, or -1 (which matches no row) when it is not one."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else -1
