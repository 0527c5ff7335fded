"""The coordinator's work: rounds, postings, publishing, the board and its bulk actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.roles import Role
from bryggan.recruitment.models import (
    Application,
    Posting,
    PostingStatus,
    RejectionBatch,
    Round,
    ScoreCriterion,
    Stage,
    StageChange,
)
from bryggan.recruitment.services import rejections_send

pytestmark = pytest.mark.django_db


def _applications(world, n: int, stage=Stage.RECEIVED) -> list[Application]:
    rec = world.home.rec
    made = []
    for i in range(n):
        person = Person.objects.create(
            municipality=world.home.municipality,
            first_name=f"Elev{i}",
            last_name="Test",
            email=f"elev{i}@example.se",
        )
        made.append(
            Application.objects.create(
                municipality=world.home.municipality,
                posting=rec["posting"],
                person=person,
                current_term=5,
                expected_graduation="VT 2027",
                consent_version="2026-1",
                consented_at=timezone.now(),
                stage=stage,
            )
        )
    return made


def test_a_coordinator_creates_a_round_with_a_default_scorecard(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        "/rekrytering/omgang/ny/", {"name": "Traineeprogrammet HT 2026", "closes_on": "2026-12-31"}
    )
    assert response.status_code == 302
    created = Round.objects.get(name="Traineeprogrammet HT 2026")
    assert ScoreCriterion.objects.filter(round=created).count() == 4


def test_round_bad_input(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    name = rworld.home.rec["round"].name
    response = client.post("/rekrytering/omgang/ny/", {"name": name, "closes_on": "nej"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns redan en omgång med det namnet" in body
    assert "Fyll i ett giltigt datum" in body


def _posting_data(world, **overrides):
    today = timezone.localdate()
    data = {
        "round": world.home.rec["round"].pk,
        "kind": "practicum",
        "title": "VFU HT",
        "description": "Praktik",
        "units": [world.home.objects["unit"].pk],
        "places": "4",
        "starts_on": (today + timedelta(30)).isoformat(),
        "ends_on": (today + timedelta(120)).isoformat(),
        "last_application_date": (today + timedelta(10)).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_publishes_and_closes_a_posting(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post("/rekrytering/annons/ny/", _posting_data(rworld))
    assert response.status_code == 302
    posting = Posting.objects.get(title="VFU HT")
    assert posting.status == PostingStatus.DRAFT
    client.post(f"/rekrytering/annons/{posting.pk}/status/publish/")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    careers = client.get(f"/karriar/{rworld.home.municipality.slug}/").content.decode()
    assert "VFU HT" in careers
    client.post(f"/rekrytering/annons/{posting.pk}/status/close/")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED
    assert "VFU HT" not in client.get(f"/karriar/{rworld.home.municipality.slug}/").content.decode()
    assert client.post(f"/rekrytering/annons/{posting.pk}/status/explode/").status_code == 404


def test_posting_bad_input(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    count = Posting.objects.count()
    response = client.post(
        "/rekrytering/annons/ny/",
        _posting_data(
            rworld,
            export_to_job_board="on",
            ends_on="2000-01-01",
            places="0",
            units=[rworld.foreign.objects["unit"].pk],
            round=rworld.foreign.rec["round"].pk,
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Praktikplatser (VFU) är obetalda" in body
    assert "kan inte sluta innan den börjar" in body
    assert body.count("Välj ett giltigt alternativ") >= 2
    assert Posting.objects.count() == count


def test_a_past_deadline_cannot_be_published(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    posting = rworld.home.rec["posting"]
    posting.status = PostingStatus.DRAFT
    posting.last_application_date = timezone.localdate() - timedelta(days=1)
    posting.save()
    response = client.post(f"/rekrytering/annons/{posting.pk}/status/publish/", follow=True)
    assert "Sista ansökningsdagen har passerat" in response.content.decode()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT


def test_board_filters_and_search(rworld):
    _applications(rworld, 3)
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/"
    body = client.get(url, {"stage": "received"}).content.decode()
    assert "Elev0" in body and "Anna" not in body
    body = client.get(url, {"q": "elev1"}).content.decode()
    assert "Elev1" in body and "Elev2" not in body
    partial = client.get(url, {"q": "Anna"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Anna" in partial
    for odd in ({"stage": "nonsense"}, {"unit": "abc"}, {"page": "999"}, {"q": "x" * 500}):
        assert client.get(url, odd).status_code == 200


def test_bulk_reject_confirms_previews_and_sends_after_the_delay(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    apps = _applications(rworld, 3)
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/"
    chosen = {"action": "reject", "applications": [a.pk for a in apps]}
    # First the count, who, and the e-mail as the first of them gets it; nothing moves.
    page = client.post(url, chosen).content.decode()
    assert "Avslå 3 ansökningar?" in page and "Ja, avslå 3 ansökningar" in page
    assert "tyvärr" in page and "Hej Elev" in page and "Ämne:</strong> Din ansökan" in page
    assert Application.objects.filter(stage="rejected").count() == 0
    # Confirmed: rejected at once, the e-mails wait and the board offers to undo.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**chosen, "confirm": "yes"})
    assert response.status_code == 302
    assert Application.objects.filter(pk__in=[a.pk for a in apps], stage="rejected").count() == 3
    assert not mailoutbox
    batch = RejectionBatch.objects.exclude(previous={}).get(posting=rworld.home.rec["posting"])
    board = client.get(url).content.decode()
    assert "3 avslag väntar" in board and "Ångra avslaget" in board
    # The background worker sends them once, and a second run sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert rejections_send(batch.pk) == 3
        assert rejections_send(batch.pk) == 0
    assert len(mailoutbox) == 3
    assert all("Din ansökan" in m.subject and "tyvärr" in m.body for m in mailoutbox)
    change = StageChange.objects.filter(application=apps[0]).get()
    assert (change.from_stage, change.to_stage, change.email_sent) == ("received", "rejected", True)
    assert change.actor == rworld.home.user(Role.COORDINATOR)
    assert "3 avslag väntar" not in client.get(url).content.decode()


def test_a_bulk_rejection_can_be_undone_until_the_emails_leave(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    apps = _applications(rworld, 2) + _applications(rworld, 1, stage=Stage.SCREENING)
    client = rworld.home.client(Role.COORDINATOR)
    posting = rworld.home.rec["posting"]
    url = f"/rekrytering/annons/{posting.pk}/tavla/"
    client.post(url, {"action": "reject", "applications": [a.pk for a in apps], "confirm": "yes"})
    batch = RejectionBatch.objects.exclude(previous={}).get(posting=posting)
    undo = f"/rekrytering/annons/{posting.pk}/avslag/{batch.pk}/angra/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(undo, follow=True).content.decode()
    assert "Avslaget är ångrat" in page
    assert not mailoutbox  # put back quietly: no "received" e-mail again
    assert [Application.objects.get(pk=a.pk).stage for a in apps] == [
        "received",
        "received",
        "screening",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert rejections_send(batch.pk) == 0
    assert not mailoutbox
    assert "Avslaget är redan ångrat" in client.post(undo, follow=True).content.decode()
    # Once the time has passed, the rejection stands (even before the worker has run).
    client.post(url, {"action": "reject", "applications": [apps[0].pk], "confirm": "yes"})
    late = RejectionBatch.objects.filter(undone_at__isnull=True).exclude(previous={}).get()
    late.send_after = timezone.now() - timedelta(seconds=1)
    late.save()
    undo = f"/rekrytering/annons/{posting.pk}/avslag/{late.pk}/angra/"
    assert "Mejlen har redan skickats" in client.post(undo, follow=True).content.decode()
    assert Application.objects.get(pk=apps[0].pk).stage == "rejected"
    # Another posting's id in the path does not reach this batch.
    other = f"/rekrytering/annons/{posting.pk + 999}/avslag/{late.pk}/angra/"
    assert client.post(other).status_code == 404
    assert client.get(undo).status_code == 405


def test_bulk_invite_sends_the_interview_email(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    apps = _applications(rworld, 2, stage=Stage.SCREENING)
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "invite", "applications": [a.pk for a in apps]})
    assert {m.subject for m in mailoutbox} == {"Inbjudan till intervju: Aspirant"}
    assert all("/ansokan/" in m.body for m in mailoutbox)


def test_bulk_is_all_or_nothing(rworld):
    apps = _applications(rworld, 2) + _applications(rworld, 0)
    withdrawn = _applications(rworld, 1, stage=Stage.WITHDRAWN)[0]
    withdrawn.person.email = "w@example.se"
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/"
    response = client.post(
        url,
        {
            "action": "move",
            "stage": "screening",
            "applications": [a.pk for a in apps] + [withdrawn.pk],
        },
    )
    assert response.status_code == 400
    assert "har återkallat sin ansökan" in response.content.decode()
    assert Application.objects.filter(stage="screening").count() == 0


def test_bulk_bad_input(rworld):
    apps = _applications(rworld, 1)
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/"
    foreign = rworld.foreign.rec["application"].pk
    cases = [
        ({"action": "move", "applications": [apps[0].pk]}, "Välj vilket steg"),
        ({"action": "explode", "applications": [apps[0].pk]}, "Välj ett giltigt alternativ"),
        ({"action": "reject", "applications": [foreign]}, "finns inte på den här tavlan"),
        ({"action": "reject", "applications": ["abc"]}, "finns inte på den här tavlan"),
        ({"action": "reject"}, "Detta fält måste fyllas i"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert Application.objects.get(pk=apps[0].pk).stage == "received"
    assert Application.objects.get(pk=foreign).stage == "interview"


def test_application_notes_moves_and_sharing(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/ansokan/{application.pk}/"
    assert client.post(url, {"action": "note", "text": "Ring tillbaka"}).status_code == 302
    assert client.post(url, {"action": "note", "text": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "move", "stage": "offered"}).status_code == 302
    application.refresh_from_db()
    assert application.stage == "offered"
    assert "Goda nyheter" in mailoutbox[-1].subject
    for bad in (
        {"action": "move", "stage": "withdrawn"},
        {"action": "move", "stage": "x"},
        {"action": "share", "staff": rworld.foreign.objects["staff"].pk},
        {"action": "share", "staff": "x"},
        {"action": "dance"},
    ):
        assert client.post(url, bad).status_code == 400, bad
    application.refresh_from_db()
    assert application.stage == "offered"
    assert list(application.shared_with.all()) == [rworld.home.objects["staff"]]
    body = client.get(url).content.decode()
    assert "Ring tillbaka" in body


def test_a_supervisor_cannot_change_a_shared_application(rworld):
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.SUPERVISOR)
    response = client.post(
        f"/rekrytering/ansokan/{application.pk}/", {"action": "move", "stage": "rejected"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.stage == "interview"


def test_the_interviewer_fills_in_the_scorecard(rworld):
    application = rworld.home.rec["application"]
    application.assessments.all().delete()
    client = rworld.home.client(Role.SUPERVISOR)
    criteria = list(ScoreCriterion.objects.filter(round=application.posting.round))
    url = f"/rekrytering/ansokan/{application.pk}/bedomning/"
    bad = client.post(url, {f"c{criteria[0].pk}": "9"})
    assert bad.status_code == 400
    assert application.assessments.count() == 0
    data = {f"c{c.pk}": str(3 + i) for i, c in enumerate(criteria)} | {"comment": "Stark"}
    assert client.post(url, data).status_code == 302
    assessment = application.assessments.get()
    assert assessment.total == 7
    body = (
        rworld.home.client(Role.COORDINATOR)
        .get(f"/rekrytering/ansokan/{application.pk}/")
        .content.decode()
    )
    assert "Stark" in body
    assert '<td class="num">7</td>' in body


def test_unit_rankings_follow_the_assessments(rworld):
    from bryggan.recruitment.selectors import unit_rankings

    rec = rworld.home.rec
    low, high = _applications(rworld, 2)
    unit = rworld.home.objects["unit"]
    criteria = list(ScoreCriterion.objects.filter(round=rec["round"]))
    from bryggan.recruitment.models import ApplicationWish, Assessment

    for app, score in ((low, 1), (high, 5)):
        ApplicationWish.objects.create(
            municipality=app.municipality, application=app, unit=unit, rank=1
        )
        Assessment.objects.create(
            municipality=app.municipality,
            application=app,
            interviewer=rworld.home.user(Role.COORDINATOR),
            scores={str(c.pk): score for c in criteria},
        )
    ranking = unit_rankings(posting=rec["posting"])[unit.pk]
    assert ranking == [high.pk, rec["application"].pk, low.pk]


def test_events_are_shared_with_partner_municipalities(rworld):
    event = rworld.foreign.rec["event"]
    home = rworld.home.client(Role.COORDINATOR)
    assert event.title not in home.get("/rekrytering/evenemang/").content.decode()
    event.partners.add(rworld.home.municipality)
    body = home.get("/rekrytering/evenemang/").content.decode()
    assert event.title in body
    # A partner sees the event but only the host edits it.
    assert home.get(f"/rekrytering/evenemang/{event.pk}/").status_code == 404
    careers = home.get(f"/karriar/{rworld.home.municipality.slug}/").content.decode()
    assert event.title in careers


def test_event_create_and_bad_input(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        "/rekrytering/evenemang/ny/",
        {
            "title": "Socionomdagen",
            "university_name": "Stockholms universitet",
            "place": "Aula Magna",
            "starts_at": "2027-02-10T13:00",
            "partners": [rworld.foreign.municipality.pk],
        },
    )
    assert response.status_code == 302
    bad = client.post(
        "/rekrytering/evenemang/ny/", {"title": "", "starts_at": "igår", "partners": ["x"]}
    )
    assert bad.status_code == 400


def test_public_event_registration(rworld):
    from django.test import Client

    event = rworld.home.rec["event"]
    url = f"/karriar/{rworld.home.municipality.slug}/evenemang/{event.pk}/"
    ok = Client().post(url, {"name": "Kim", "email": "kim@example.se"})
    assert ok.status_code == 200 and "Du är anmäld" in ok.content.decode()
    again = Client().post(url, {"name": "Kim", "email": "KIM@example.se"})
    assert again.status_code == 400 and "redan anmäld" in again.content.decode()
    bad = Client().post(url, {"name": "", "email": "kim"})
    assert bad.status_code == 400
    assert event.registrations.count() == 2


def test_the_board_as_columns_moves_a_card_by_its_form(rworld):
    apps = _applications(rworld, 3) + _applications(rworld, 1, stage=Stage.WITHDRAWN)
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/annons/{rworld.home.rec['posting'].pk}/tavla/?view=columns"
    page = client.get(url).content.decode()
    for value, label, n in (
        ("received", "Inkommen", 3),
        ("screening", "Urval", 0),
        ("interview", "Intervju", 1),
        ("withdrawn", "Återkallad", 1),
    ):
        assert f'<h2 id="col-{value}">{label} <span class="count">({n})</span>' in page
    assert f'id="card-{apps[0].pk}" draggable="true"' in page
    assert f'id="card-{apps[3].pk}"' in page and f'id="card-{apps[3].pk}" draggable' not in page
    # The keyboard's way (and what a drop submits): the card's own form.
    response = client.post(
        url, {"action": "move", "applications": [apps[0].pk], "stage": "screening"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?view=columns")
    assert Application.objects.get(pk=apps[0].pk).stage == "screening"
    # A withdrawn application cannot be moved, and a bad stage is refused; nothing changes.
    assert (
        client.post(
            url, {"action": "move", "applications": [apps[3].pk], "stage": "screening"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"action": "move", "applications": [apps[1].pk], "stage": "nowhere"}
        ).status_code
        == 400
    )
    assert Application.objects.get(pk=apps[1].pk).stage == "received"
    assert Application.objects.get(pk=apps[3].pk).stage == "withdrawn"


def test_previous_and_next_applicant_follow_the_board(rworld):
    apps = _applications(rworld, 3)  # created in order: the board shows the newest first
    client = rworld.home.client(Role.COORDINATOR)
    newest, middle, oldest = sorted(apps, key=lambda a: (a.created_at, a.pk), reverse=True)
    page = client.get(f"/rekrytering/ansokan/{middle.pk}/").content.decode()
    assert f'rel="prev" href="/rekrytering/ansokan/{newest.pk}/"' in page
    assert f'rel="next" href="/rekrytering/ansokan/{oldest.pk}/"' in page
    # Within a stage: only that stage's applicants, and the stage is kept along.
    middle.stage = Stage.SCREENING
    middle.save()
    page = client.get(f"/rekrytering/ansokan/{middle.pk}/?stage=screening").content.decode()
    assert 'rel="prev"' not in page and 'rel="next"' not in page
    page = client.get(f"/rekrytering/ansokan/{newest.pk}/?stage=received").content.decode()
    assert f'rel="next" href="/rekrytering/ansokan/{oldest.pk}/?stage=received"' in page
    # A nonsense stage is ignored, not an error.
    assert client.get(f"/rekrytering/ansokan/{newest.pk}/?stage=<x>").status_code == 200


def test_settled_rejections_are_forgotten_after_a_month(rworld):
    from bryggan.privacy.retention import housekeeping

    posting = rworld.home.rec["posting"]
    old = timezone.now() - timedelta(days=31)
    sent = RejectionBatch.objects.create(
        municipality=posting.municipality, posting=posting, send_after=old, sent_at=old
    )
    undone = RejectionBatch.objects.create(
        municipality=posting.municipality, posting=posting, send_after=old, undone_at=old
    )
    # Never sent (a worker that was down): kept, so its e-mails still leave.
    waiting = RejectionBatch.objects.create(
        municipality=posting.municipality, posting=posting, send_after=old
    )
    recent = RejectionBatch.objects.create(
        municipality=posting.municipality,
        posting=posting,
        send_after=timezone.now(),
        sent_at=timezone.now(),
    )
    assert housekeeping()["rejection_batches"] == 2
    left = set(RejectionBatch.objects.values_list("pk", flat=True))
    assert {waiting.pk, recent.pk} <= left and not {sent.pk, undone.pk} & left
