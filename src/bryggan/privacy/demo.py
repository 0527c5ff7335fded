"""Demo retention rules: each demo municipality has adopted a deletion decision for
applicants who were not hired and for interview notes on rejected ones (idempotent)."""

from __future__ import annotations

from datetime import date

from bryggan.core.models import Municipality
from bryggan.privacy.models import DataKind, RetentionPolicy

_DECISIONS = {
    DataKind.APPLICANT_NOT_HIRED: (24, "KS 2025/412 § 7"),
    DataKind.REJECTED_INTERVIEW_NOTES: (24, "KS 2025/412 § 7"),
    DataKind.CANCELLED_RECRUITMENT: (24, "KS 2025/412 § 8"),
}


def seed_municipality(municipality: Municipality) -> None:
    for kind, (months, reference) in _DECISIONS.items():
        RetentionPolicy.unscoped.get_or_create(
            municipality=municipality,
            kind=kind,
            defaults={
                "months": months,
                "decision_reference": reference,
                "decision_date": date(2025, 6, 12),
            },
        )
