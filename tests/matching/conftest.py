"""The matching workflow's scene: two units, a supervisor each, four applicants."""

from __future__ import annotations

import pytest

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from tests import factories as f
from tests.matching_data import add_applicant


@pytest.fixture
def scene(rworld):
    """Utredning (2 places: one supervisor of 2) and Mottagning (1 place), four applicants.

    Anna (score 4) is pinned to Utredning; Bo (5) and Cia (3) want Mottagning then Utredning;
    Dan (2) wants Utredning only. Student-optimal: Bo → Mottagning, Cia → Utredning, Dan out.
    """
    home = rworld.home
    rec = home.rec
    utredning = home.objects["unit"]
    mottagning = f.UnitFactory(department=home.objects["department"], name="Mottagning")
    helena = f.StaffMemberFactory(unit=mottagning, first_name="Helena", last_name="Handledare")
    f.SupervisorCapacityFactory(supervisor=helena, term=home.objects["term"], capacity=1)
    rec["posting"].units.add(mottagning)
    apps = {
        "anna": rec["application"],
        "bo": add_applicant(home, rec, "Bo", [mottagning, utredning], score=5),
        "cia": add_applicant(home, rec, "Cia", [mottagning, utredning], score=3),
        "dan": add_applicant(home, rec, "Dan", [utredning], score=2),
    }
    return {
        "world": rworld,
        "rec": rec,
        "posting": rec["posting"],
        "utredning": utredning,
        "mottagning": mottagning,
        "helena": helena,
        "staff": home.objects["staff"],
        "apps": apps,
        "actor": actor_for(home.user(Role.COORDINATOR)),
        "client": home.client(Role.COORDINATOR),
    }
