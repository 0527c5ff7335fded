"""The coordinator's matching workflow: inputs, runs, explanations, rules, rankings,
overrides, publishing under the capacity invariant, and downloads that re-check outside."""

from __future__ import annotations

import json
import os
import threading

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scope

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.matching import services
from bryggan.matching.engine import Instance, Result, check
from bryggan.matching.models import MatchingConstraint, MatchingOverride, MatchingRun
from bryggan.programme.models import Placement
from bryggan.recruitment.models import Stage
from tests import factories as f
from tests.matching_data import add_applicant

pytestmark = pytest.mark.django_db


def _placed(run: MatchingRun, application) -> str | None:
    return run.result["assignment"][f"a{application.pk}"]


def _start(scene, **data) -> tuple:
    response = scene["client"].post(f"/matchning/annons/{scene['posting'].pk}/kor/", data)
    run = MatchingRun.objects.filter(posting=scene["posting"]).order_by("-number").first()
    return response, run


def test_the_inputs_page_shows_wishes_rankings_capacity_and_gaps(scene):
    f.UnitFactory(department=scene["utredning"].department, name="Tomma enheten")
    empty = scene["posting"].units.model.objects.get(name="Tomma enheten")
    scene["posting"].units.add(empty)
    add_applicant(scene["world"].home, scene["rec"], "Eva", [])
    response = scene["client"].get(f"/matchning/annons/{scene['posting'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mottagning" in body and "Helena Handledare" in body
    assert "BoStudent" not in body  # names are "Bo Student"
    assert "Bo Student = " not in body  # Bo (5) is alone at the top, not tied
    assert "Tomma enheten har ingen ledig handledarkapacitet" in body
    assert "Eva Student har inte rankat någon enhet" in body


def test_a_run_places_students_stably_and_explains_why_not_better(scene, mailoutbox):
    response, run = _start(scene, optimal="student", seed="0")
    assert response.status_code == 302 and response["Location"] == f"/matchning/korning/{run.pk}/"
    assert run.status == "proposed" and run.stable is True
    apps, u1, u2 = scene["apps"], scene["utredning"], scene["mottagning"]
    assert _placed(run, apps["anna"]) == f"u{u1.pk}"  # pinned
    assert _placed(run, apps["bo"]) == f"u{u2.pk}"
    assert _placed(run, apps["cia"]) == f"u{u1.pk}"
    assert _placed(run, apps["dan"]) is None
    assert run.result["supervisor"][f"a{apps['bo'].pk}"] == f"s{scene['helena'].pk}"
    # The independent checker agrees with what is stored.
    assert check(Instance.from_dict(run.instance), Result.from_dict(run.result)).ok
    page = scene["client"].get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "Stabil" in page
    # Cia ranked Mottagning first: Bo, its rank 1, got the one place; Cia was its rank 2.
    assert (
        "Mottagning var full med studenter den rankade högre; den sista som antogs var dess "
        "rank 1, du var dess rank 2." in page
    )
    assert "Inte placerad" in page
    assert "fler än de" not in page  # 3 placed, 3 places
    assert not mailoutbox  # nothing is sent before publishing
    from bryggan.core.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(purpose=f"matching run {run.pk}").exists()
    scene["posting"].places = 2
    scene["posting"].save()
    page = scene["client"].get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "Förslaget placerar 3 studenter, fler än de 2 platser annonsen anger" in page


def test_the_same_seed_repeats_a_run_exactly_and_the_seed_decides_ties(scene):
    home = scene["world"].home
    for name in ("Ek", "Fur", "Gran"):
        add_applicant(home, scene["rec"], name, [scene["mottagning"]], score=5)
    results = {}
    for seed in (1, 1, 2, 3, 4, 5, 6):
        run = services.run_start(actor=scene["actor"], posting=scene["posting"], seed=seed)
        results.setdefault(seed, []).append(run.result["assignment"])
    assert results[1][0] == results[1][1]
    winners = {
        next(s for s, u in r[0].items() if u == f"u{scene['mottagning'].pk}")
        for r in results.values()
    }
    assert len(winners) > 1  # different seeds break the four-way tie differently


def test_unit_optimal_is_offered_and_recorded(scene):
    response, run = _start(scene, optimal="unit", seed="7")
    assert response.status_code == 302
    assert run.optimal == "unit" and run.seed == 7 and run.stable is True


def test_pinned_and_forbidden_pairs_are_honoured_and_removable(scene):
    client, posting, apps = scene["client"], scene["posting"], scene["apps"]
    response = client.post(
        f"/matchning/annons/{posting.pk}/regel/",
        {
            "application": apps["bo"].pk,
            "unit": scene["mottagning"].pk,
            "kind": "forbidden",
            "reason": "Släkting arbetar där",
        },
    )
    assert response.status_code == 302
    _response, run = _start(scene)
    assert _placed(run, apps["bo"]) == f"u{scene['utredning'].pk}"
    assert _placed(run, apps["cia"]) == f"u{scene['mottagning'].pk}"
    rule = MatchingConstraint.objects.get(application=apps["bo"])
    page = client.get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "jävsförhållande" in page  # Bo's explanation names the conflict of interest
    client.post(f"/matchning/annons/{posting.pk}/regel/{rule.pk}/ta-bort/")
    assert not MatchingConstraint.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "forbidden"},  # no applicant, no unit
        {"kind": "sometimes"},
        {"kind": "pinned", "application": "abc", "unit": "x"},
        {"kind": "pinned", "application": "APP", "unit": "FOREIGN_UNIT"},
        {"kind": "pinned", "application": "FOREIGN_APP", "unit": "UNIT"},
        {"kind": "pinned", "application": "APP", "unit": "UNIT"},  # Anna is already pinned
    ],
)
def test_bad_rules_are_refused_clearly(scene, data):
    world = scene["world"]
    values = {
        "APP": scene["apps"]["anna"].pk,
        "UNIT": scene["mottagning"].pk,
        "FOREIGN_UNIT": world.foreign.objects["unit"].pk,
        "FOREIGN_APP": world.foreign.rec["application"].pk,
    }
    data = {k: values.get(v, v) for k, v in data.items()}
    before = MatchingConstraint.objects.count()
    response = scene["client"].post(
        f"/matchning/annons/{scene['posting'].pk}/regel/", data, follow=True
    )
    assert response.status_code == 200
    assert 'class="messages' in response.content.decode() or 'role="alert"' in (
        response.content.decode()
    )
    assert MatchingConstraint.objects.count() == before


def test_the_coordinator_ranks_a_unit_by_number_with_ties_and_bad_numbers(scene):
    client, posting, apps = scene["client"], scene["posting"], scene["apps"]
    path = f"/matchning/annons/{posting.pk}/enhet/{scene['mottagning'].pk}/"
    assert client.get(path).status_code == 200
    response = client.post(path, {f"pos-{apps['bo'].pk}": "x1", f"pos-{apps['cia'].pk}": "0"})
    assert response.status_code == 400
    assert "Skriv ett heltal från 1" in response.content.decode()
    # Cia first, Bo not ranked: Mottagning takes Cia.
    response = client.post(path, {f"pos-{apps['cia'].pk}": "1", f"pos-{apps['bo'].pk}": ""})
    assert response.status_code == 302
    _r, run = _start(scene)
    assert _placed(run, apps["cia"]) == f"u{scene['mottagning'].pk}"
    assert _placed(run, apps["bo"]) == f"u{scene['utredning'].pk}"
    page = client.get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "Mottagning rankade inte dig." in page
    client.post(path, {"reset": "yes"})
    _r, run = _start(scene)
    assert _placed(run, apps["bo"]) == f"u{scene['mottagning'].pk}"


def test_an_override_needs_a_reason_and_keeps_supervisors_within_capacity(scene):
    _r, run = _start(scene)
    client, apps = scene["client"], scene["apps"]
    u1, u2, helena = scene["utredning"], scene["mottagning"], scene["helena"]
    path = f"/matchning/korning/{run.pk}/andra/"
    foreign = scene["world"].foreign
    bad = [
        (
            {"application": apps["dan"].pk, "placement": f"{u2.pk}:{helena.pk}", "reason": " "},
            "Skriv varför",
        ),
        (
            {"application": apps["dan"].pk, "placement": f"{u2.pk}:{helena.pk}", "reason": "Behov"},
            "har plats för 1",
        ),
        (
            {"application": apps["dan"].pk, "placement": f"{u1.pk}:{helena.pk}", "reason": "Behov"},
            "Välj en handledare på",
        ),
        (
            {
                "application": apps["dan"].pk,
                "placement": f"{foreign.objects['unit'].pk}:{foreign.objects['staff'].pk}",
                "reason": "Behov",
            },
            "Välj en av annonsens enheter",
        ),
        (
            {"application": foreign.rec["application"].pk, "placement": "", "reason": "Behov"},
            "Välj en student i körningen",
        ),
        ({"application": "x", "placement": "a:b", "reason": "Behov"}, "Välj en student"),
    ]
    for data, message in bad:
        body = client.post(path, data, follow=True).content.decode()
        assert message in body, (data, body[:2000])
    assert not MatchingOverride.objects.exists()
    # Bo gives up his place at Mottagning; then Dan can have it.
    for application, placement in ((apps["bo"], ""), (apps["dan"], f"{u2.pk}:{helena.pk}")):
        response = client.post(
            path,
            {
                "application": application.pk,
                "placement": placement,
                "reason": "Önskemål efter samtal",
            },
        )
        assert response.status_code == 302
    page = client.get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "Önskemål efter samtal" in page and "Ändrad för hand" in page
    result = json.loads(client.get(f"/matchning/korning/{run.pk}/result.json").content)
    assert [o["reason"] for o in result["overrides"]] == ["Önskemål efter samtal"] * 2
    assert result["final"][f"a{apps['dan'].pk}"] == {
        "unit": f"u{u2.pk}",
        "supervisor": f"s{helena.pk}",
    }
    assert result["final"][f"a{apps['bo'].pk}"] == {"unit": None, "supervisor": None}


def test_publishing_creates_placements_and_tells_the_students(
    scene, mailoutbox, django_capture_on_commit_callbacks
):
    _r, run = _start(scene)
    other = services.run_start(actor=scene["actor"], posting=scene["posting"], seed=3)
    apps = scene["apps"]
    scene["mottagning"].address = "Storgatan 1, 151 89 Södertälje"
    scene["mottagning"].save()
    client, url = scene["client"], f"/matchning/korning/{run.pk}/publicera/"
    # The summary first: Anna's interview is not assessed, so she waits unless named.
    page = client.get(url).content.decode()
    assert "2 sökande erbjuds en plats" in page
    assert f'name="include" value="{apps["anna"].pk}"' in page and " checked" not in page
    # Without the confirmation nothing is written; naming Anna updates the summary.
    page = client.post(url, {"include": [apps["anna"].pk]}).content.decode()
    assert "3 sökande erbjuds en plats" in page and " checked" in page
    assert not Placement.objects.filter(term=scene["world"].home.objects["term"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"include": [apps["anna"].pk], "confirm": "yes"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "published" and run.published_by == scene["world"].home.user(
        Role.COORDINATOR
    )
    placements = Placement.objects.filter(
        unit__in=[scene["utredning"], scene["mottagning"]], term=scene["world"].home.objects["term"]
    )
    assert placements.count() == 3
    assert {p.step for p in placements} == {"aspirant"}
    for key in ("anna", "bo", "cia"):
        apps[key].refresh_from_db()
        assert apps[key].stage == Stage.OFFERED
    apps["dan"].refresh_from_db()
    assert apps["dan"].stage == Stage.ASSESSED
    # Each placed student hears of the place, and one without an account is invited to
    # Bryggan to choose a password; afterwards every placed student has an account.
    placed = sorted(apps[k].person.email for k in ("anna", "bo", "cia"))
    offers = [m for m in mailoutbox if "Välkommen till Bryggan" not in m.subject]
    invited = [m for m in mailoutbox if "Välkommen till Bryggan" in m.subject]
    assert sorted(m.to[0] for m in offers) == placed
    assert invited and {m.to[0] for m in invited} <= set(placed)
    for key in ("anna", "bo", "cia"):
        assert apps[key].person.participant.user is not None
    # The offer names the unit, the address, the supervisor and the start date, in the
    # e-mail and on the applicant's own page.
    bo_mail = next(m for m in offers if m.to[0] == apps["bo"].person.email).body
    start = scene["posting"].starts_on
    for expected in ("Mottagning", "Storgatan 1, 151 89 Södertälje", "Helena Handledare"):
        assert expected in bo_mail
    assert f"Start: {start.day} " in bo_mail
    from bryggan.recruitment.links import link_path

    own = Client().get(link_path(apps["bo"])).content.decode()
    assert "Din plats" in own and "Storgatan 1, 151 89 Södertälje" in own
    assert "Helena Handledare" in own
    # Neither this run nor another of the posting can be published again.
    body = client.post(url, {"confirm": "yes"}, follow=True)
    assert "kan inte publiceras" in body.content.decode()
    body = client.post(f"/matchning/korning/{other.pk}/publicera/", {"confirm": "yes"})
    assert body.status_code == 400 and "redan publicerats" in body.content.decode()
    body = scene["client"].post(f"/matchning/annons/{scene['posting'].pk}/kor/", follow=True)
    assert "Matchningen av annonsen är publicerad" in body.content.decode()
    assert Placement.objects.filter(term=scene["world"].home.objects["term"]).count() == 3


def test_publishing_is_all_or_nothing_when_capacity_went_meanwhile(scene):
    _r, run = _start(scene)
    # Helena's only place is taken by a manual placement after the run.
    other = add_applicant(scene["world"].home, scene["rec"], "Manuell", [])
    Placement.objects.create(
        municipality=scene["posting"].municipality,
        person=other.person,
        unit=scene["mottagning"],
        supervisor=scene["helena"],
        term=scene["world"].home.objects["term"],
        step="aspirant",
    )
    body = scene["client"].post(
        f"/matchning/korning/{run.pk}/publicera/",
        {"include": [scene["apps"]["anna"].pk], "confirm": "yes"},
    )
    assert body.status_code == 400 and "handleder redan 1 av 1" in body.content.decode()
    run.refresh_from_db()
    assert run.status == "proposed"
    assert Placement.objects.filter(term=scene["world"].home.objects["term"]).count() == 1
    assert not scene["apps"]["anna"].stage_changes.filter(to_stage=Stage.OFFERED).exists()


def test_publishing_places_only_the_assessed_unless_named(scene, mailoutbox):
    _r, run = _start(scene)
    client, apps = scene["client"], scene["apps"]
    url = f"/matchning/korning/{run.pk}/publicera/"
    before = Placement.objects.count()
    # Naming someone who is not waiting in this proposal (Bo is assessed; a made-up id) is
    # refused with a message, and nothing is written.
    for bad in ([apps["bo"].pk], [999_999_999], ["x"]):
        response = client.post(url, {"include": bad, "confirm": "yes"})
        assert response.status_code == 400
        assert "Välj sökande i listan över dem som väntar" in response.content.decode()
    assert Placement.objects.count() == before and not mailoutbox
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    for key in apps.values():
        key.refresh_from_db()
    assert apps["anna"].stage != Stage.OFFERED and apps["bo"].stage == Stage.OFFERED
    assert not Placement.objects.filter(person=apps["anna"].person).exists()


def test_bad_runs_are_refused_clearly(scene):
    client, posting = scene["client"], scene["posting"]
    for data, message in (
        ({"seed": "-1"}, "Lottningsnumret är ett heltal"),
        ({"seed": "abc"}, "Lottningsnumret är ett heltal"),
        ({"seed": "99999999999"}, "Lottningsnumret är ett heltal"),
        ({"optimal": "both"}, "Välj studenterna eller enheterna"),
    ):
        body = client.post(f"/matchning/annons/{posting.pk}/kor/", data, follow=True)
        assert message in body.content.decode(), data
    scene["rec"]["round"].term = None
    scene["rec"]["round"].save()
    body = client.post(f"/matchning/annons/{posting.pk}/kor/", {}, follow=True)
    assert "Omgången har ingen termin" in body.content.decode()
    posting.kind = "summer_job"
    posting.save()
    body = client.post(f"/matchning/annons/{posting.pk}/kor/", {}, follow=True)
    assert "sommarjobb" in body.content.decode().lower()
    assert MatchingRun.objects.filter(posting=posting).count() == 1  # the fixture's own run


@pytest.mark.parametrize(
    "role", [Role.SUPERVISOR, Role.UNIT_MANAGER, Role.HR, Role.STUDENT, Role.MENTOR]
)
def test_only_coordinators_match(scene, role):
    client = scene["world"].home.client(role)
    run = scene["rec"]["run"]
    for path in (
        f"/matchning/annons/{scene['posting'].pk}/",
        f"/matchning/korning/{run.pk}/",
        f"/matchning/korning/{run.pk}/instance.json",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/matchning/korning/{run.pk}/publicera/").status_code == 403


def test_downloads_are_the_cli_format(scene, tmp_path):
    import subprocess
    import sys

    _r, run = _start(scene)
    client = scene["client"]
    instance = client.get(f"/matchning/korning/{run.pk}/instance.json")
    assert instance["Content-Disposition"].startswith("attachment;")
    result = client.get(f"/matchning/korning/{run.pk}/result.json")
    (tmp_path / "i.json").write_bytes(instance.content)
    (tmp_path / "r.json").write_bytes(result.content)
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bryggan.matching",
            "check",
            tmp_path / "i.json",
            tmp_path / "r.json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert client.get(f"/matchning/korning/{run.pk}/other.json").status_code == 404


def test_large_runs_are_solved_in_the_background(scene, settings):
    from bryggan.matching.tasks import compute_run

    settings.MATCHING_BACKGROUND_FROM = 2
    _r, run = _start(scene)
    assert run.status == "queued" and run.result is None
    page = scene["client"].get(f"/matchning/korning/{run.pk}/").content.decode()
    assert "körs i bakgrunden" in page
    assert compute_run.call(run.pk) == "proposed"
    run.refresh_from_db()
    assert run.stable is True and run.result is not None


def test_matching_pages_use_a_constant_number_of_queries(scene):
    from django.test.utils import CaptureQueriesContext

    client = scene["client"]

    def counts():
        run = services.run_start(actor=scene["actor"], posting=scene["posting"])
        paths = [
            f"/matchning/annons/{scene['posting'].pk}/",
            f"/matchning/korning/{run.pk}/",
            f"/matchning/annons/{scene['posting'].pk}/enhet/{scene['utredning'].pk}/",
            f"/api/matching/runs/{run.pk}",
        ]
        out = {}
        for i, path in enumerate(paths):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            out[i] = len(ctx.captured_queries)
        return out

    small = counts()
    home = scene["world"].home
    for i in range(15):
        unit = f.UnitFactory(department=home.objects["department"], name=f"Enhet {i}")
        staff = f.StaffMemberFactory(unit=unit)
        f.SupervisorCapacityFactory(supervisor=staff, term=home.objects["term"], capacity=2)
        add_applicant(home, scene["rec"], f"Ny{i}", [unit, scene["utredning"]], score=i % 5)
    large = counts()
    assert large == small


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_two_coordinators_publishing_at_once_never_overfill_a_supervisor(rworld):
    """Two postings share Helena (room for one); both proposals place a student with her.
    Published at the same moment, one wins; the other is refused and writes nothing."""
    from bryggan.recruitment.models import Posting

    home = rworld.home
    rec = home.rec
    helena = home.objects["staff"]
    capacity = home.objects["capacity"]
    capacity.capacity = 1
    capacity.save()
    second = Posting.objects.get(pk=rec["posting"].pk)
    second.pk = None
    second.title = "Aspirant 2"
    second.save()
    second.units.add(home.objects["unit"])
    add_applicant(home, {**rec, "posting": second}, "Parallell", [home.objects["unit"]], 5)
    actor = actor_for(home.user(Role.COORDINATOR))
    runs = [
        services.run_start(actor=actor, posting=rec["posting"], seed=1),
        services.run_start(actor=actor, posting=second),
    ]
    # A second start on the first posting too: the same run published twice at once.
    twin = MatchingRun.objects.get(pk=runs[0].pk)
    for run in runs:
        assert any(s == f"s{helena.pk}" for s in run.result["supervisor"].values())
    barrier = threading.Barrier(3)
    results = []

    def publish(run):
        from django.db import connections

        try:
            barrier.wait()
            with scope(municipality=home.municipality.pk):
                services.run_publish(actor=actor_for(home.user(Role.COORDINATOR)), run=run)
            results.append("ok")
        except Exception as error:
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(r,)) for r in (*runs, twin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["InvalidInputError", "InvalidInputError", "ok"]
    assert Placement.objects.filter(supervisor=helena, term=home.objects["term"]).count() == 1
    assert MatchingRun.objects.filter(status="published").count() == 1


def test_an_applicant_moved_to_offered_by_hand_still_hears_of_the_place(
    scene, mailoutbox, django_capture_on_commit_callbacks
):
    from bryggan.recruitment.services import application_place

    bo = scene["apps"]["bo"]
    bo.stage = Stage.OFFERED
    bo.save(update_fields=["stage"])
    with django_capture_on_commit_callbacks(execute=True):
        application_place(
            actor=scene["actor"],
            application=bo,
            unit=scene["mottagning"],
            supervisor=scene["helena"],
            starts_on=scene["posting"].starts_on,
        )
    assert [m.to[0] for m in mailoutbox] == [bo.person.email]
    assert "Enhet: Mottagning" in mailoutbox[0].body and "Helena Handledare" in mailoutbox[0].body
