"""A joint round from agreement to publication: one application shared with exactly the
municipalities ranked, each municipality screening its own, one stable matching across
them (checked by the engine's checker), and every municipality publishing at once through
its own publishing path. And each bad input refused whole, nothing half-written."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.matching.engine import Instance, Result, check
from bryggan.matching.models import MatchingRun, RunStatus
from bryggan.organisation.models import SupervisorCapacity
from bryggan.programme.models import Placement
from bryggan.recruitment.models import Application, ApplicationWish, Stage
from bryggan.regional import selectors, services
from bryggan.regional.models import JointApplication, JointStatus
from tests.regional_data import (
    DEADLINE_DAYS,
    PUBLICATION_DAYS,
    build_applied,
    build_joint,
    student_data,
)

pytestmark = pytest.mark.django_db


@contextmanager
def _refused(text: str):
    """The block is refused with ``text`` among its messages (in English: tests run in sv,
    so the message is looked up in both)."""
    with translation.override("en"), pytest.raises(InvalidInputError) as refused:
        yield
    assert text in str(refused.value.errors), refused.value.errors


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


def _actor(tenant):
    return actor_for(tenant.user(Role.COORDINATOR))


def _counts() -> tuple:
    with scopes_disabled():
        return (
            JointApplication.objects.count(),
            Application.objects.count(),
            ApplicationWish.objects.count(),
            Placement.objects.count(),
        )


def _matched(world) -> dict:
    joint = build_applied(world)
    services.match(
        actor=_actor(world.home), joint_round=joint["round"], today=_day(DEADLINE_DAYS + 1)
    )
    joint["round"].refresh_from_db()
    return joint


def test_one_application_is_shared_with_exactly_the_municipalities_ranked(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        joint = build_applied(world)
    with scopes_disabled():
        eva = Application.objects.filter(person__email="eva@example.se")
        assert [a.municipality for a in eva] == [world.foreign.municipality]
        ada = Application.objects.filter(person__email="ada@example.se").order_by("municipality")
        assert {a.municipality for a in ada} == {
            world.home.municipality,
            world.foreign.municipality,
        }
        # each municipality holds only its own units, ranked in the student's order
        home_ada = ada.get(municipality=world.home.municipality)
        assert [w.unit for w in home_ada.wishes.order_by("rank")] == [joint["home"]["units"][0]]
    assert [w.unit_id for w in joint["students"]["dan@example.se"].wishes.order_by("rank")] == [
        joint["home"]["units"][0].pk,
        joint["foreign"]["units"][1].pk,
        joint["home"]["units"][1].pk,
    ]
    receipts = [m for m in mail.outbox if "dan@example.se" in m.to]
    assert any("Norrköping" in m.body and "Södertälje" in m.body for m in receipts)


def test_the_joint_matching_is_stable_across_municipalities_and_splits_into_proposals(world):
    joint = _matched(world)
    jr = joint["round"]
    assert jr.status == JointStatus.MATCHED and jr.stable is True
    report = check(Instance.from_dict(jr.instance), Result.from_dict(jr.result))
    assert report.ok
    ids = {e: f"j{a.pk}" for e, a in joint["students"].items()}
    h1, h2 = (f"u{u.pk}" for u in joint["home"]["units"])
    f1, f2 = (f"u{u.pk}" for u in joint["foreign"]["units"])
    assignment = jr.result["assignment"]
    assert assignment[ids["ada@example.se"]] == h1
    assert assignment[ids["dan@example.se"]] == h1
    assert assignment[ids["bo@example.se"]] == h2
    assert assignment[ids["cia@example.se"]] == f1
    assert assignment[ids["eva@example.se"]] == f2
    # each municipality's part is a proposal of its own posting, in its own ids
    with scopes_disabled():
        runs = {r.municipality_id: r for r in MatchingRun.objects.filter(status=RunStatus.PROPOSED)}
        home_run = runs[world.home.municipality.pk]
        home_apps = set(
            Application.objects.filter(posting=joint["home"]["posting"]).values_list(
                "pk", flat=True
            )
        )
    assert {int(s["id"][1:]) for s in home_run.instance["students"]} <= home_apps
    assert set(home_run.result["assignment"].values()) <= {h1, h2}
    assert all(u["id"] in (h1, h2) for u in home_run.instance["units"])
    # Cia was placed in the foreign municipality she ranked first: the home part says so,
    # naming neither the municipality's ranking nor anyone else
    cia_home = next(
        a for a in home_apps if Application.unscoped.get(pk=a).person.email == "cia@example.se"
    )
    assert home_run.explanations[f"a{cia_home}"] == [{"unit": "", "code": "placed_elsewhere"}]


def test_publication_places_everyone_in_both_municipalities_at_once(
    world, django_capture_on_commit_callbacks
):
    joint = _matched(world)
    jr = joint["round"]
    home, foreign = _actor(world.home), _actor(world.foreign)
    with _refused("not approved"):
        services.publish(actor=home, joint_round=jr, today=_day(PUBLICATION_DAYS))
    services.approve(actor=home, joint_round=jr)
    services.approve(actor=foreign, joint_round=jr)
    with _refused("publication day"):
        services.publish(actor=home, joint_round=jr, today=_day(PUBLICATION_DAYS - 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placed = services.publish(actor=foreign, joint_round=jr, today=_day(PUBLICATION_DAYS))
    assert placed == 5
    with scopes_disabled():
        by_municipality = {
            m: Placement.objects.filter(municipality=m).count()
            for m in (world.home.municipality, world.foreign.municipality)
        }
        assert by_municipality == {world.home.municipality: 3, world.foreign.municipality: 2}
        assert not Application.objects.filter(
            person__email="cia@example.se",
            municipality=world.home.municipality,
            stage=Stage.OFFERED,
        ).exists()
    jr.refresh_from_db()
    assert jr.status == JointStatus.PUBLISHED
    results = [m for m in mail.outbox if "Resultatet" in m.subject or "result" in m.subject]
    assert len(results) == 5
    # the student's one result: where, and why not the higher-ranked unit, naming no one
    shown = selectors.applicant_result(joint["students"]["bo@example.se"])
    assert shown.unit == joint["home"]["units"][1]
    assert len(shown.reasons) == 1 and "Ada" not in shown.reasons[0]
    with pytest.raises(InvalidInputError):
        services.publish(actor=home, joint_round=jr, today=_day(PUBLICATION_DAYS))


def test_a_municipality_cannot_leave_after_the_rank_deadline(world):
    joint = build_applied(world)
    before = _counts()
    with _refused("rank deadline has passed"):
        services.round_leave(
            actor=_actor(world.foreign), joint_round=joint["round"], today=_day(DEADLINE_DAYS + 1)
        )
    joint["round"].refresh_from_db()
    assert [m.active for m in joint["round"].members.all()] == [True, True]
    assert _counts() == before
    # before the deadline it may, and then its units are no longer offered
    services.round_leave(actor=_actor(world.foreign), joint_round=joint["round"])
    assert [m.active for m in joint["round"].members.order_by("municipality__name")] == [
        False,
        True,
    ]
    # a municipality that left runs nothing; the one still in matches without its units
    with _refused("Only a municipality taking part runs the joint matching"):
        services.match(
            actor=_actor(world.foreign), joint_round=joint["round"], today=_day(DEADLINE_DAYS + 1)
        )
    services.match(
        actor=_actor(world.home), joint_round=joint["round"], today=_day(DEADLINE_DAYS + 1)
    )
    joint["round"].refresh_from_db()
    assert joint["round"].stable is True
    foreign_units = {f"u{u.pk}" for u in joint["foreign"]["units"]}
    assert not foreign_units & {u["id"] for u in joint["round"].instance["units"]}


def test_a_capacity_changed_after_the_matching_stops_the_publication_for_everyone(world):
    joint = _matched(world)
    jr = joint["round"]
    services.approve(actor=_actor(world.home), joint_round=jr)
    services.approve(actor=_actor(world.foreign), joint_round=jr)
    with scopes_disabled():
        SupervisorCapacity.objects.filter(supervisor=joint["foreign"]["staff"][1]).update(
            capacity=0
        )
    before = _counts()
    with _refused("changed since it ran"):
        services.publish(actor=_actor(world.home), joint_round=jr, today=_day(PUBLICATION_DAYS))
    assert _counts() == before
    jr.refresh_from_db()
    assert jr.status == JointStatus.MATCHED
    # matched again, approved again: published without the place that went away
    services.match(actor=_actor(world.home), joint_round=jr, today=_day(DEADLINE_DAYS + 1))
    jr.refresh_from_db()
    assert jr.stable is True
    assert f"u{joint['foreign']['units'][1].pk}" not in jr.result["assignment"].values()


def test_an_applicant_withdrawing_from_one_municipality_only_stays_in_the_other(world):
    joint = build_applied(world)
    with scopes_disabled():
        home_ada = Application.objects.get(
            person__email="ada@example.se", municipality=world.home.municipality
        )
    from django_scopes import scope

    from bryggan.recruitment.services import application_withdraw

    with scope(municipality=world.home.municipality.pk):
        application_withdraw(application=home_ada)
    services.match(
        actor=_actor(world.home), joint_round=joint["round"], today=_day(DEADLINE_DAYS + 1)
    )
    joint["round"].refresh_from_db()
    ada = f"j{joint['students']['ada@example.se'].pk}"
    assert joint["round"].result["assignment"][ada] == f"u{joint['foreign']['units'][0].pk}"
    # withdrawing after the matching makes the result out of date: publication refuses
    with scopes_disabled():
        foreign_dan = Application.objects.get(
            person__email="dan@example.se", municipality=world.foreign.municipality
        )
    with scope(municipality=world.foreign.municipality.pk):
        application_withdraw(application=foreign_dan)
    services.approve(actor=_actor(world.home), joint_round=joint["round"])
    services.approve(actor=_actor(world.foreign), joint_round=joint["round"])
    with _refused("changed since it ran"):
        services.publish(
            actor=_actor(world.home), joint_round=joint["round"], today=_day(PUBLICATION_DAYS)
        )


def test_a_ranking_naming_a_unit_outside_the_round_is_refused_whole(world):
    joint = build_joint(world)
    outside = world.home.objects["staff"].unit  # in the round
    from tests import factories as f

    stray = f.UnitFactory(department=world.foreign.objects["department"], name="Utanför")
    before = _counts()
    for wishes in ([outside.pk, stray.pk], [999_999], [outside.pk, outside.pk], []):
        with pytest.raises(InvalidInputError):
            services.apply(
                joint_round=joint["round"],
                data=student_data("x@example.se", wishes),
                consent_version="2026-1",
            )
    assert _counts() == before


def test_a_second_application_by_the_same_person_is_refused_whole(world):
    joint = build_joint(world)
    h1 = joint["home"]["units"][0].pk
    f1 = joint["foreign"]["units"][0].pk
    services.apply(
        joint_round=joint["round"], data=student_data("same@example.se", [h1]), consent_version="1"
    )
    before = _counts()
    with _refused("already applied"):
        services.apply(
            joint_round=joint["round"],
            data=student_data("SAME@example.se", [f1]),
            consent_version="1",
        )
    assert _counts() == before


def test_joining_with_a_posting_that_does_not_fit_is_refused(world):
    joint = build_joint(world)
    other = joint["home"]["posting"]
    other.last_application_date = _day(DEADLINE_DAYS + 5)
    other.save()
    with _refused("must close for applications by the rank deadline"):
        services.round_join(actor=_actor(world.home), joint_round=joint["round"], posting=other)
    with _refused("no municipality can join"):
        services.round_join(
            actor=_actor(world.foreign),
            joint_round=joint["round"],
            posting=joint["foreign"]["posting"],
            today=_day(DEADLINE_DAYS + 1),
        )


def test_a_joint_posting_is_not_matched_or_published_on_its_own(world):
    from bryggan.matching import services as matching

    joint = _matched(world)
    with _refused("joint round"):
        matching.run_start(actor=_actor(world.home), posting=joint["home"]["posting"])
    member = joint["round"].members.get(municipality=world.home.municipality)
    with _refused("joint round"):
        matching.run_publish(actor=_actor(world.home), run=member.run)


def test_a_joint_application_no_municipality_keeps_is_forgotten(world):
    from django.core.management import call_command

    joint = build_applied(world)
    eva = joint["students"]["eva@example.se"]
    with scopes_disabled():
        for part in eva.parts.select_related("application"):
            application = part.application
            application.wishes.all().delete()
            application.documents.all().delete()
            application.stage_changes.all().delete()
            application.assessments.all().delete()
            application.delete()  # the municipality's retention purge
    call_command("regional_forget", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not JointApplication.objects.filter(pk=eva.pk).exists()
    assert JointApplication.objects.count() == 4


def test_erasure_in_one_municipality_leaves_the_others_part(world):
    from django.db import transaction

    from bryggan.core.models import Person
    from bryggan.privacy.subject import erase_everything

    joint = build_applied(world)
    ada = joint["students"]["ada@example.se"]
    with scopes_disabled():
        person = Person.objects.get(email="ada@example.se", municipality=world.home.municipality)
        with transaction.atomic():
            counts = erase_everything(person)
        assert counts["regional.JointPart"] == 1
        left = list(ada.parts.values_list("member__municipality", flat=True))
        assert left == [world.foreign.municipality.pk]
        # her rank order keeps only the units of the municipality that still has her part
        assert {w.unit.municipality_id for w in ada.wishes.all()} == {world.foreign.municipality.pk}
    assert JointApplication.objects.filter(pk=ada.pk).exists()


def test_a_refusal_by_the_second_municipality_leaves_no_application_and_no_file(world):
    """The student had applied to the foreign posting directly: the joint application, which
    the home municipality's submission had already taken, is refused whole — no row in either
    municipality and no document left on disk."""
    from django_scopes import scope

    from bryggan.recruitment import documents
    from bryggan.recruitment.services import application_submit

    joint = build_joint(world)
    h1, f1 = joint["home"]["units"][0].pk, joint["foreign"]["units"][0].pk
    with scope(municipality=world.foreign.municipality.pk):
        data = student_data("dubbel@example.se", [])
        data["wishes"] = [joint["foreign"]["units"][0]]
        application_submit(posting=joint["foreign"]["posting"], data=data, consent_version="1")
    files = set(documents.storage_root().iterdir())
    before = _counts()
    with _refused("already applied to this posting"):
        services.apply(
            joint_round=joint["round"],
            data=student_data("dubbel@example.se", [h1, f1]),
            consent_version="1",
        )
    assert _counts() == before
    assert set(documents.storage_root().iterdir()) == files
