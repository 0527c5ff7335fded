"""Demo data: the current round of each municipality has a matching run ready to review.

One pinned pair (a returning aspirant) and one forbidden pair (a relative works at the unit)
show the coordinator's rules; the runs are proposals, not yet published.
"""

from __future__ import annotations

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.matching import adapter, services
from bryggan.matching.models import MatchingRun
from bryggan.recruitment.models import Posting, Round


def seed_municipality(municipality: Municipality) -> None:
    coordinator = User.objects.filter(email=f"coordinator@{municipality.slug}.demo").first()
    current = (
        Round.objects.filter(municipality=municipality, term__isnull=False)
        .order_by("-closes_on")
        .first()
    )
    if coordinator is None or current is None:
        return
    actor = actor_for(coordinator)
    postings = Posting.objects.filter(round=current, kind__in=list(services.STEPS)).order_by("pk")
    for posting in postings:
        if MatchingRun.objects.filter(posting=posting).exists():
            continue
        applications = [a for a in adapter.open_applications(posting) if a.wishes.all()]
        if len(applications) < 2:
            continue
        if posting.kind == "aspirant":
            returning = applications[0]
            services.constraint_add(
                actor=actor,
                posting=posting,
                application=returning.pk,
                unit=returning.wishes.all()[0].unit_id,
                kind="pinned",
                reason="Återvändande aspirant från förra omgången",
            )
        else:
            related = applications[-1]
            services.constraint_add(
                actor=actor,
                posting=posting,
                application=related.pk,
                unit=related.wishes.all()[0].unit_id,
                kind="forbidden",
                reason="Nära anhörig arbetar på enheten",
            )
        services.run_start(actor=actor, posting=posting, seed=2026)
