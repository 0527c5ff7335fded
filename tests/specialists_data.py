"""Specialists for tests: two areas, a central role serving every unit held by the tenant's
specialist login, a question answered and one open, a knowledge note, and two updates (one
for everyone, one for another unit only)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.specialists import services
from bryggan.specialists.models import Serves
from tests import factories as f


def link_staff(tenant, role: Role, unit, name: str):
    """The tenant's login for ``role`` as a staff member at ``unit`` (or where it already
    works, when the world has linked it)."""
    from bryggan.organisation.models import StaffMember

    with scopes_disabled():
        linked = StaffMember.objects.filter(user=tenant.users[role]).first()
        return linked or f.StaffMemberFactory(unit=unit, last_name=name, user=tenant.users[role])


def build_specialists(tenant, mark: str = "") -> dict:
    today = timezone.localdate()
    unit = tenant.objects["unit"]
    other = f.UnitFactory(
        department=tenant.objects["department"], name=f"Annan enhet {mark}".strip()
    )
    specialist = link_staff(tenant, Role.SPECIALIST, other, f"Specialistsson{mark}")
    asker = link_staff(tenant, Role.SUPERVISOR, unit, f"Frågesson{mark}")
    hr = actor_for(tenant.users[Role.HR])
    children = services.topic_add(actor=hr, name=f"Barnutredningar {mark}".strip())
    money = services.topic_add(actor=hr, name=f"Ekonomiskt bistånd {mark}".strip())
    role = services.role_save(
        actor=hr, title=f"Specialistsocionom {mark}".strip(), topics=[children], serves=Serves.ALL
    )
    holder = services.holder_add(actor=hr, role=role, staff=specialist, since=date(2025, 1, 1))
    asking = actor_for(tenant.users[Role.SUPERVISOR])
    answering = actor_for(tenant.users[Role.SPECIALIST])
    answered = services.consultation_ask(
        actor=asking,
        topic=children,
        unit=unit,
        question=f"Tidsfrist för förhandsbedömning? {mark}",
        today=today,
    )
    services.consultation_answer(actor=answering, consultation=answered, answer=f"14 dagar. {mark}")
    waiting = services.consultation_ask(
        actor=asking, topic=children, unit=unit, question=f"Vad gäller vid LVU? {mark}", today=today
    )
    note = services.note_save(
        actor=answering,
        topic=children,
        title=f"Förhandsbedömning {mark}".strip(),
        body=f"14 dagar. {mark}",
    )
    everyone = services.update_publish(
        actor=answering,
        title=f"Ny socialtjänstlag {mark}".strip(),
        summary=f"Läs sammanfattningen. {mark}",
        read_by=today + timedelta(days=5),
        units=[],
        roles=[],
        everyone=True,
        today=today,
    )
    elsewhere = services.update_publish(
        actor=answering,
        title=f"Rutin för annan enhet {mark}".strip(),
        summary=f"Gäller bara den andra enheten. {mark}",
        read_by=today + timedelta(days=10),
        units=[other],
        roles=[],
        today=today,
    )
    return {
        "unit": unit,
        "other": other,
        "specialist": specialist,
        "asker": asker,
        "children": children,
        "money": money,
        "role": role,
        "holder": holder,
        "answered": answered,
        "waiting": waiting,
        "note": note,
        "everyone": everyone,
        "elsewhere": elsewhere,
    }
