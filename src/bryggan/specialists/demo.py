"""The demo's specialists: Södertälje has a central group of specialist social workers
serving every unit (as in Uppsala); Norrköping a method supporter for children and young
people and a specialist case worker at one unit. Questions answered and open, a knowledge
note, and updates some staff have confirmed — all through the services, as people would."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone, translation

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.organisation.models import Department, DepartmentKind, StaffMember, Unit
from bryggan.specialists import rules, services
from bryggan.specialists.models import Serves, Topic

TOPICS = [
    "Barnutredningar",
    "Ekonomiskt bistånd",
    "LVU",
    "Våld i nära relationer",
    "Missbruk och beroende",
]
QUESTIONS = [
    (
        "Barnutredningar",
        "Hur länge får en förhandsbedömning pågå innan beslut om att inleda utredning måste "
        "fattas, och vad gäller om anmälan kommer från skolan en fredag?",
        "Beslut ska fattas inom 14 dagar (11 kap. 1 a § SoL, nu i den nya socialtjänstlagen). "
        "Gör en skyddsbedömning samma dag. Dokumentera bedömningen även om beslutet blir att "
        "inte inleda.",
    ),
    (
        "Ekonomiskt bistånd",
        "En sökande har fått retroaktiv sjukersättning. Hur räknar vi inkomsten när "
        "utbetalningen avser flera månader bakåt?",
        "Inkomsten räknas den månad den betalas ut. Informera om att den ska användas till "
        "försörjningen framåt; återkrav kan bli aktuellt om bistånd getts i avvaktan på "
        "ersättningen (9 kap. 2 § SoL).",
    ),
    (
        "Våld i nära relationer",
        "Vilka frågor ska jag alltid ställa vid ett första möte när jag misstänker våld?",
        "",
    ),
]


def seed_municipality(municipality: Municipality) -> None:
    if Topic.objects.filter(municipality=municipality).exists():
        return  # seeded before
    slug = municipality.slug
    hr = actor_for(User.objects.filter(email=f"hr@{slug}.demo").first())
    topics = {name: services.topic_add(actor=hr, name=name) for name in TOPICS}
    staff = list(
        StaffMember.objects.filter(
            municipality=municipality, is_specialist=True, employed_until__isnull=True
        ).order_by("pk")
    )
    login = StaffMember.objects.filter(user__email=f"specialist@{slug}.demo").first()
    if login is not None and login not in staff:
        staff.insert(0, login)
    since = date(2025, 1, 1)
    if slug == "sodertalje":
        central = services.role_save(
            actor=hr,
            title="Specialistsocionom",
            description="En central grupp som stöttar alla enheter, nya som erfarna.",
            topics=list(topics.values()),
            serves=Serves.ALL,
        )
        for member in staff[:4]:
            services.holder_add(actor=hr, role=central, staff=member, since=since)
    else:
        children = Department.objects.filter(
            municipality=municipality, kind=DepartmentKind.CHILDREN_AND_YOUNG
        ).first()
        supporter = services.role_save(
            actor=hr,
            title="Metodstödjare barn och unga",
            topics=[topics["Barnutredningar"], topics["LVU"], topics["Våld i nära relationer"]],
            serves=Serves.DEPARTMENT,
            department=children,
        )
        money = Unit.objects.filter(municipality=municipality, name__contains="Centrum").first()
        case_worker = services.role_save(
            actor=hr,
            title="Specialisthandläggare",
            topics=[topics["Ekonomiskt bistånd"]],
            serves=Serves.UNIT,
            unit=money,
        )
        for role, member in zip((supporter, case_worker, supporter), staff[:3], strict=False):
            services.holder_add(actor=hr, role=role, staff=member, since=since)
    with translation.override("sv"):  # the e-mails people get are in Swedish
        _consultations(municipality, topics)
        _updates(municipality)


def _consultations(municipality: Municipality, topics: dict[str, Topic]) -> None:
    today = timezone.localdate()
    slug = municipality.slug
    askers = [
        User.objects.filter(email=f"{who}@{slug}.demo").first()
        for who in ("new_hire", "supervisor", "mentor")
    ]
    for index, (topic_name, question, answer) in enumerate(QUESTIONS):
        asker = askers[index % len(askers)]
        if asker is None:
            continue
        actor = actor_for(asker)
        staff = StaffMember.objects.filter(user=asker, municipality=municipality).first()
        topic = topics[topic_name]
        unit = staff.unit if staff else Unit.objects.filter(municipality=municipality).first()
        if unit is None:
            continue
        holders = list(rules.serving(topic, unit, today).select_related("staff__user"))
        if not holders:
            continue
        asked = services.consultation_ask(
            actor=actor, topic=topic, unit=unit, question=question, today=today
        )
        specialist = next((h.staff for h in holders if h.staff.user_id), None)
        if not answer or specialist is None:
            continue
        answerer = actor_for(specialist.user)
        answered = services.consultation_answer(actor=answerer, consultation=asked, answer=answer)
        services.consultation_helped(actor=actor, consultation=answered, helped=True)
        if index == 0:
            services.note_save(
                actor=answerer,
                topic=topic,
                title="Förhandsbedömning: tidsfrister och skyddsbedömning",
                body=f"{question}\n\n{answer}",
                consultation=answered,
            )


def _updates(municipality: Municipality) -> None:
    today = timezone.localdate()
    slug = municipality.slug
    publisher = next(
        (
            actor_for(user)
            for user in User.objects.filter(
                email__in=[f"specialist@{slug}.demo", f"coordinator@{slug}.demo"]
            ).order_by("email")
        ),
        None,
    )
    if publisher is None:
        return
    everyone = services.update_publish(
        actor=publisher,
        title="Den nya socialtjänstlagen (2025:400) gäller från 1 juli 2025",
        summary=(
            "Socialtjänstlagen (2001:453) har ersatts av socialtjänstlagen (2025:400). "
            "Paragrafhänvisningar i mallar och beslut ska uppdateras; förebyggande arbete och "
            "kunskapsbaserad socialtjänst betonas. Läs sammanfattningen och gå igenom "
            "enhetens mallar."
        ),
        links="https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/socialtjanstlag-2025400_sfs-2025-400/",
        read_by=today + timedelta(days=14),
        units=[],
        roles=[],
        everyone=True,
        today=today,
    )
    children = list(
        Unit.objects.filter(
            municipality=municipality, department__kind=DepartmentKind.CHILDREN_AND_YOUNG
        )
    )
    services.update_publish(
        actor=publisher,
        title="Ändrad rutin: orosanmälningar från skolan",
        summary="Skyddsbedömning görs samma dag och dokumenteras i journalen med mallen från mars.",
        read_by=today + timedelta(days=5),
        units=children,
        roles=[],
        today=today,
    )
    # Some have read the law already.
    for who in ("coordinator", "hr", "supervisor"):
        user = User.objects.filter(email=f"{who}@{slug}.demo").first()
        if user is not None:
            services.update_acknowledge(actor=actor_for(user), update=everyone)
