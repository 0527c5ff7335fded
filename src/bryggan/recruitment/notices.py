"""What the application form promises the applicant about how long their application is kept.

The municipality's retention rules belong to the privacy app, which sits above recruitment
in the layers; it tells this module how to read them (``register_retention_months``, from
privacy/apps.py) instead of recruitment importing it. Without a rule, the setting holds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from bryggan.recruitment.models import Posting

RetentionMonths = Callable[[Posting], int | None]
_retention_months: RetentionMonths | None = None


def register_retention_months(lookup: RetentionMonths) -> None:
    global _retention_months
    _retention_months = lookup


def retention_months(posting: Posting) -> int:
    """The months an application to ``posting`` is kept if the applicant is not hired."""
    months = _retention_months(posting) if _retention_months is not None else None
    return months or settings.APPLICATION_RETENTION_MONTHS
