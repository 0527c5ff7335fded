"""Backup and restore: the demo municipality backed up, the instance emptied, the backup
restored into it. Every table's row count and every document's checksum match, and what was
purged or erased after the backup stays gone (the removal journal is re-applied)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.management.commands.backup import row_counts, sha256_of
from bryggan.core.models import Municipality, Person, User
from bryggan.core.permissions import actor_for
from bryggan.privacy import retention, services, subject
from bryggan.privacy.models import DataKind
from bryggan.recruitment.models import Application, Document, Round, Stage

pytestmark = pytest.mark.django_db(transaction=True)


def _documents(settings) -> dict[str, str]:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return {p.name: sha256_of(p) for p in sorted(root.iterdir())} if root.exists() else {}


def _empty_the_instance(settings) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.PRIVATE_STORAGE_ROOT).iterdir():
        path.unlink()


def test_a_demo_backup_restores_exactly_and_removals_after_it_stay_removed(settings, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    backup = tmp_path / "backup"
    with scopes_disabled():
        before_counts = row_counts()
        before_documents = _documents(settings)
        assert sum(before_counts.values()) > 1000 and len(before_documents) > 50
        call_command("backup", str(backup), stdout=StringIO())
        manifest = json.loads((backup / "manifest.json").read_text())
        assert manifest["row_counts"] == before_counts
        assert manifest["documents"] == before_documents

        # After the backup: the purge removes one round's rejected applicants, and one
        # person is erased on request.
        sodertalje = Municipality.objects.get(slug="sodertalje")
        coordinator = User.objects.get(email="coordinator@sodertalje.demo")
        actor = actor_for(coordinator)
        old_round = Round.objects.filter(municipality=sodertalje).order_by("closes_on").first()
        old_round.closes_on = timezone.localdate() - relativedelta(months=30)
        old_round.save()
        services.policy_save(
            actor=actor,
            kind=DataKind.APPLICANT_NOT_HIRED,
            months=24,
            decision_reference="KS 2025/412 § 7",
            decision_date=timezone.localdate(),
        )
        # That round and the demo's years of history (the insights' rounds) are all past
        # the 24 months: every application in them not offered a place goes.
        purged = list(
            Application.objects.filter(
                municipality=sodertalje,
                posting__round__closes_on__lte=timezone.localdate() - relativedelta(months=24),
            )
            .exclude(stage=Stage.OFFERED)
            .values_list("pk", flat=True)
        )
        assert purged
        purged_files = set(
            Document.objects.filter(application_id__in=purged).values_list(
                "storage_name", flat=True
            )
        )
        run = retention.purge(sodertalje)
        assert run.counts[DataKind.APPLICANT_NOT_HIRED] == len(purged)
        erased = (
            Person.objects.filter(municipality=sodertalje, applications__isnull=False)
            .exclude(applications__pk__in=purged)
            .exclude(participant__isnull=False)
            .first()
        )
        subject.erase_person(actor=actor, person=erased, reference="DSB 2026/3")
        assert not Application.objects.filter(pk__in=purged).exists()

    _empty_the_instance(settings)
    with pytest.raises(CommandError, match="not a Bryggan backup"):
        call_command("restore", str(tmp_path), stdout=StringIO())
    out = StringIO()
    call_command("restore", str(backup), stdout=out)
    report = out.getvalue()
    assert "every count and checksum matches" in report
    assert "Re-applied 2 removals" in report

    with scopes_disabled():
        after_counts = row_counts()
        # The purge and the erasure were re-applied: those rows and files are gone again...
        assert not Application.objects.filter(pk__in=purged).exists()
        assert not Person.objects.filter(pk=erased.pk).exists()
        after_documents = _documents(settings)
        assert not purged_files & set(after_documents)
        # ... and everything else is exactly as backed up.
        for name, digest in after_documents.items():
            assert before_documents[name] == digest
        assert set(before_documents) - set(after_documents) >= purged_files
        changed = {k for k in before_counts if before_counts[k] != after_counts.get(k)}
        removal_tables = {
            "recruitment.Application",
            "recruitment.ApplicationWish",
            "recruitment.Document",
            "recruitment.StageChange",
            "recruitment.ApplicationNote",
            "recruitment.Assessment",
            "recruitment.Interview",
            "recruitment.EventRegistration",
            "matching.UnitRankingEntry",
            "matching.MatchingConstraint",
            "matching.MatchingOverride",
            "core.Person",
            "privacy.RemovedApplication",
            "auditlog.LogEntry",
        }
        assert changed <= removal_tables, changed - removal_tables


def test_restore_refuses_a_damaged_backup_or_a_full_instance(settings, tmp_path, world):
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(backup), stdout=StringIO())


def _backup_then_empty(settings, tmp_path) -> Path:
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=StringIO())
    _empty_the_instance(settings)
    return backup


def _still_empty(settings) -> None:
    with scopes_disabled():
        assert not Municipality.objects.exists() and not User.objects.exists()
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    assert not root.exists() or not any(root.iterdir())


def test_restore_refuses_a_folder_without_a_manifest(settings, tmp_path, rworld):
    backup = _backup_then_empty(settings, tmp_path)
    (backup / "manifest.json").unlink()
    with pytest.raises(CommandError, match=r"no manifest\.json"):
        call_command("restore", str(backup), stdout=StringIO())
    _still_empty(settings)


def test_restore_refuses_a_damaged_document_before_writing_anything(settings, tmp_path, rworld):
    backup = _backup_then_empty(settings, tmp_path)
    documents = sorted((backup / "documents").iterdir())
    assert documents, "the backup holds the applicant's document"
    documents[0].write_bytes(documents[0].read_bytes() + b"tampered")
    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", str(backup), stdout=StringIO())
    _still_empty(settings)


def test_restore_refuses_rows_that_do_not_match_the_manifest_and_loads_nothing(
    settings, tmp_path, rworld
):
    backup = _backup_then_empty(settings, tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["row_counts"]["core.Person"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="Row counts differ"):
        call_command("restore", str(backup), stdout=StringIO())
    _still_empty(settings)
