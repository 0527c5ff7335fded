"""Retention: per-municipality rules under a deletion decision, a dry run that shows exactly
what the purge removes, files gone from the disk, counts kept, legal holds respected."""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.privacy import retention, services
from bryggan.privacy.models import DataKind, LegalHold, PurgeRun, RemovedApplication
from bryggan.recruitment import documents
from bryggan.recruitment.models import Application, ApplicationNote, Document, Stage

pytestmark = pytest.mark.django_db


def _months_ago(months: int, days: int = 0):
    return timezone.localdate() - relativedelta(months=months) - timedelta(days=days)


def _decide(rworld, kind, months, reference="KS 2025/412 § 7"):
    services.policy_save(
        actor=actor_for(rworld.home.user(Role.COORDINATOR)),
        kind=kind,
        months=months,
        decision_reference=reference,
        decision_date=timezone.localdate() - timedelta(days=30),
    )


def _old_round(rworld, months=25):
    round_ = rworld.home.rec["round"]
    round_.closes_on = _months_ago(months)
    round_.save()
    return round_


def _due(rworld, kind):
    report = retention.due(rworld.home.municipality)
    return next(item for item in report if item.policy.kind == kind)


def test_nothing_is_removed_without_a_deletion_decision(rworld):
    _old_round(rworld)
    application = rworld.home.rec["application"]
    application.stage = Stage.REJECTED
    application.save()
    item = _due(rworld, DataKind.APPLICANT_NOT_HIRED)
    assert item.applications == [application] and item.blocked
    run = retention.purge(rworld.home.municipality)
    assert run.counts.get(DataKind.APPLICANT_NOT_HIRED, 0) == 0
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_purge_removes_what_the_dry_run_showed_files_included_and_keeps_counts(
    rworld, django_capture_on_commit_callbacks
):
    _decide(rworld, DataKind.APPLICANT_NOT_HIRED, 24)
    _old_round(rworld)
    application = rworld.home.rec["application"]
    application.stage = Stage.REJECTED
    application.save()
    person = application.person
    files = list(
        Document.objects.filter(application=application).values_list("storage_name", flat=True)
    )
    foreign = rworld.foreign.rec["application"]
    item = _due(rworld, DataKind.APPLICANT_NOT_HIRED)
    assert item.applications == [application] and not item.blocked
    before = Application.objects.filter(posting=application.posting).count()
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.purge(rworld.home.municipality)
    assert run.counts[DataKind.APPLICANT_NOT_HIRED] == 1
    assert run.files_removed == len(files) > 0
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any(os.path.exists(documents.path_of(n)) for n in files)
    assert not Person.objects.filter(pk=person.pk).exists()  # nothing else left of them
    assert Application.objects.filter(pk=foreign.pk).exists()  # other municipality untouched
    # The funnel survives: applications left plus anonymous counts = before.
    removed = RemovedApplication.objects.filter(posting_id=application.posting_id)
    assert removed.count() + Application.objects.filter(posting=application.posting).count() == (
        before
    )
    assert removed.get().stage == Stage.REJECTED
    assert PurgeRun.objects.filter(municipality=rworld.home.municipality).count() == 1


def test_recent_hired_pooled_and_held_applicants_are_kept(rworld):
    _decide(rworld, DataKind.APPLICANT_NOT_HIRED, 24)
    application = rworld.home.rec["application"]
    round_ = _old_round(rworld, months=23)  # not yet 24 months
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == []
    round_.closes_on = _months_ago(25)
    round_.save()
    application.stage = Stage.OFFERED  # hired: kept with the staff file
    application.save()
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == []
    application.stage = Stage.REJECTED
    application.talent_pool_consent_at = timezone.now()
    application.save()
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == []
    application.talent_pool_withdrawn_at = timezone.now()
    application.save()
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == [application]
    LegalHold.objects.create(
        municipality=rworld.home.municipality, person_id=application.person_id, reason="DO 1"
    )
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == []
    retention.purge(rworld.home.municipality)
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_cancelled_recruitment_is_never_removed_early(rworld):
    _decide(rworld, DataKind.CANCELLED_RECRUITMENT, 24)
    _decide(rworld, DataKind.APPLICANT_NOT_HIRED, 24)
    round_ = _old_round(rworld, months=30)
    round_.cancelled_on = _months_ago(23)
    round_.save()
    application = rworld.home.rec["application"]
    assert _due(rworld, DataKind.CANCELLED_RECRUITMENT).applications == []
    assert _due(rworld, DataKind.APPLICANT_NOT_HIRED).applications == []
    round_.cancelled_on = _months_ago(24, days=1)
    round_.save()
    assert _due(rworld, DataKind.CANCELLED_RECRUITMENT).applications == [application]
    retention.purge(rworld.home.municipality)
    assert not Application.objects.filter(pk=application.pk).exists()


def test_unsolicited_applications_follow_their_own_rule(rworld):
    _decide(rworld, DataKind.UNSOLICITED, 12)
    application = rworld.home.rec["application"]
    posting = application.posting
    posting.is_open_application = True
    posting.save()
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - relativedelta(months=13)
    )
    assert _due(rworld, DataKind.UNSOLICITED).applications == [
        Application.objects.get(pk=application.pk)
    ]


def test_interview_notes_on_rejected_applicants_go_first(rworld):
    _decide(rworld, DataKind.REJECTED_INTERVIEW_NOTES, 6)
    _old_round(rworld, months=7)
    application = rworld.home.rec["application"]
    application.stage = Stage.REJECTED
    application.save()
    ApplicationNote.objects.create(
        municipality=rworld.home.municipality, application=application, text="Svag intervju"
    )
    assert _due(rworld, DataKind.REJECTED_INTERVIEW_NOTES).notes >= 1
    retention.purge(rworld.home.municipality)
    assert not ApplicationNote.objects.filter(application=application).exists()
    assert Application.objects.filter(pk=application.pk).exists()
    assert not application.assessments.exclude(comment="").exists()


def test_participants_follow_the_archive_rule_when_one_is_set(rworld):
    from bryggan.programme.models import Participant
    from bryggan.programme.models import Stage as Step

    participant = rworld.home.rec["participant"]
    Participant.objects.filter(pk=participant.pk).update(
        stage=Step.LEFT, stage_since=_months_ago(61)
    )
    assert _due(rworld, DataKind.PARTICIPANT).participants == []  # kept by default
    _decide(rworld, DataKind.PARTICIPANT, 60)
    assert [p.pk for p in _due(rworld, DataKind.PARTICIPANT).participants] == [participant.pk]
    retention.purge(rworld.home.municipality)
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_the_command_reports_in_a_dry_run_and_purges_otherwise(rworld):
    _decide(rworld, DataKind.APPLICANT_NOT_HIRED, 24)
    _old_round(rworld)
    application = rworld.home.rec["application"]
    application.stage = Stage.REJECTED
    application.save()
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    assert f"{rworld.home.municipality.slug}\tapplicant_not_hired\t1\tdue" in out.getvalue()
    assert Application.objects.filter(pk=application.pk).exists()
    call_command("retention_purge", stdout=StringIO())
    assert not Application.objects.filter(pk=application.pk).exists()
    with pytest.raises(Exception, match="No municipality"):
        call_command("retention_purge", "--municipality", "atlantis", stdout=StringIO())


def test_the_retention_page_shows_rules_and_takes_changes(rworld):
    client = rworld.home.client(Role.DPO)
    page = client.get("/dataskydd/gallring/").content.decode()
    assert "Sökande som inte anställdes" in page and "inget registrerat" in page
    response = client.post(
        "/dataskydd/gallring/applicant_not_hired/",
        {"months": "24", "decision_reference": "KS 2025/1", "decision_date": "2025-06-01"},
    )
    assert response.status_code == 302
    assert "KS 2025/1" in client.get("/dataskydd/gallring/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"months": "abc"},
        {"months": "-3"},
        {"months": "99999"},
        {"months": "24", "decision_reference": "KS 1"},  # no date
        {"months": "24", "decision_reference": "x" * 300, "decision_date": "2025-01-01"},
        {"months": "24", "decision_date": "2025-02-30"},
    ],
)
def test_bad_rules_are_refused_with_a_message(rworld, data):
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post("/dataskydd/gallring/applicant_not_hired/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    from bryggan.privacy.models import RetentionPolicy

    assert not RetentionPolicy.objects.exists()
    assert client.get("/dataskydd/gallring/no_such_kind/").status_code == 404


def test_the_purge_button_needs_confirmation(rworld):
    client = rworld.home.client(Role.DPO)
    client.post("/dataskydd/gallring-kor/", {})
    assert not PurgeRun.objects.exists()
    client.post("/dataskydd/gallring-kor/", {"confirm": "yes"})
    assert PurgeRun.objects.count() == 1


def test_legal_holds_are_placed_and_released_from_the_person_page(rworld):
    person = rworld.home.rec["person"]
    client = rworld.home.client(Role.DPO)
    bad = client.post(f"/dataskydd/person/{person.pk}/sparr/", {"hold-reason": ""})
    assert bad.status_code == 400
    client.post(f"/dataskydd/person/{person.pk}/sparr/", {"hold-reason": "DO 2026/55"})
    hold = LegalHold.objects.get(person_id=person.pk)
    assert "DO 2026/55" in client.get(f"/dataskydd/person/{person.pk}/").content.decode()
    client.post(f"/dataskydd/person/{person.pk}/sparr/{hold.pk}/hav/")
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert client.post(f"/dataskydd/person/{person.pk}/sparr/999999/hav/").status_code == 404


def test_the_applicant_leaves_the_talent_pool_from_their_link(rworld):
    from django.test import Client

    from bryggan.recruitment import links

    application = rworld.home.rec["application"]
    application.talent_pool_consent_at = timezone.now()
    application.save()
    token = links.make_token(application)
    page = Client().get(f"/ansokan/{token}/").content.decode()
    assert "Lämna kandidatbanken" in page
    Client().post(f"/ansokan/{token}/kandidatbank/")
    application.refresh_from_db()
    assert application.talent_pool_withdrawn_at is not None


def test_staff_who_left_long_ago_are_anonymised_under_the_archive_rule(rworld):
    from bryggan.organisation.models import StaffMember

    member = rworld.home.objects["staff"]
    StaffMember.objects.filter(pk=member.pk).update(employed_until=_months_ago(61))
    assert _due(rworld, DataKind.STAFF).staff == []  # kept by default
    _decide(rworld, DataKind.STAFF, 60)
    assert [s.pk for s in _due(rworld, DataKind.STAFF).staff] == [member.pk]
    retention.purge(rworld.home.municipality)
    member.refresh_from_db()
    assert member.first_name == "Tidigare" and member.email == ""
    assert _due(rworld, DataKind.STAFF).staff == []  # not twice
