"""Large matching runs are solved in the background (django-tasks, the database worker)."""

from __future__ import annotations

from django_scopes import scopes_disabled
from django_tasks import task


@task()
def compute_run(run_id: int) -> str:
    from bryggan.matching.models import MatchingRun
    from bryggan.matching.services import run_compute

    with scopes_disabled():
        run = MatchingRun.unscoped.filter(pk=run_id, status="queued").first()
        if run is None:
            return "gone"
        return run_compute(run).status
