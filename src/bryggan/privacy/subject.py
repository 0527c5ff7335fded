"""The data subject's rights: a copy of everything held (ZIP), erasure and anonymisation.

Everything here walks ``registry.HOLDINGS``, so a model added there is exported and erased
without touching this module. Writes are all-or-nothing; documents leave the disk only after
the transaction has committed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from datetime import date

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import AccessLogEntry, Person, User
from bryggan.core.permissions import Actor, Perm
from bryggan.core.registry import HOLDINGS
from bryggan.privacy.models import (
    DataSubjectRequest,
    LegalHold,
    RemovedApplication,
    RequestKind,
)
from bryggan.recruitment import documents
from bryggan.recruitment.models import Application, Document

_README = """Det här är en kopia av allt Bryggan har om dig ({name}), tagen {when}.

Varje fil data/<slag>.json innehåller dina uppgifter av ett slag, till exempel dina ansökningar,
dina timmar eller dina placeringar. Mappen documents/ innehåller de dokument du har lämnat in.
access_log.json visar när dina uppgifter har lästs, av vilket konto och i vilket syfte.

Frågor om dina uppgifter besvaras av kommunens dataskyddsombud.
"""


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "dokument"


def export_zip(person: Person) -> tuple[bytes, Counter]:
    """A ZIP of everything held about the person: JSON per kind, their documents, and the
    record of who has read their data."""
    counts: Counter = Counter()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            _README.format(name=person, when=timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        )
        for holding in reversed(HOLDINGS):
            rows = list(holding.rows_for(person))
            if not rows:
                continue
            data = serializers.serialize("python", rows)
            for item in data:
                for secret in holding.secret_fields:
                    item["fields"].pop(secret, None)
                item["fields"].pop("municipality", None)
            counts[holding.label] = len(rows)
            archive.writestr(
                f"data/{holding.label}.json",
                json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        for document in Document.unscoped.filter(application__person=person):
            try:
                content = documents.path_of(document.storage_name).read_bytes()
            except FileNotFoundError:
                continue
            archive.writestr(
                f"documents/{document.pk}-{_safe_name(document.original_name)}", content
            )
            counts["documents"] += 1
        reads = AccessLogEntry.objects.filter(person_id=person.pk).order_by("at")
        archive.writestr(
            "access_log.json",
            json.dumps(
                [
                    {
                        "at": timezone.localtime(e.at).isoformat(),
                        "by": e.user.email if e.user else "",
                        "what": f"{e.subject_type} {e.subject_id}",
                        "why": e.purpose,
                    }
                    for e in reads.select_related("user")
                ],
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue(), counts


def export_for(
    *, actor: Actor | None, person: Person, reference: str = "", by_the_person: bool = False
) -> bytes:
    """The export, with the request recorded. ``actor`` is None when the applicant asks
    through their private link."""
    if actor is not None:
        actor.require(Perm.PERSONAL_DATA_MANAGE, person)
    content, counts = export_zip(person)
    _record_request(actor, person, RequestKind.EXPORT, reference, counts, by_the_person)
    return content


def _record_request(
    actor: Actor | None,
    person: Person,
    kind: str,
    reference: str,
    counts: Counter,
    by_the_person: bool = False,
) -> DataSubjectRequest:
    """The record that a request was handled: the person's id, never their name."""
    return DataSubjectRequest.objects.create(
        municipality_id=person.municipality_id,
        person_id=person.pk,
        kind=kind,
        reference=reference.strip()[:100],
        by_the_person=by_the_person,
        handled_by=actor.user if actor else None,
        counts=dict(counts),
    )


def on_hold(person_id: int) -> bool:
    return LegalHold.objects.filter(person_id=person_id, released_at__isnull=True).exists()


def tally_removed(applications, why: str) -> None:
    """Keep the anonymous funnel counts of applications about to be removed."""
    RemovedApplication.objects.bulk_create(
        [
            RemovedApplication(
                municipality_id=a.municipality_id,
                round_id=a.posting.round_id,
                posting_id=a.posting_id,
                posting_kind=a.posting.kind,
                stage=a.stage,
                source=a.source,
                university_id=a.university_id,
                applied_month=date(a.created_at.year, a.created_at.month, 1),
                why=why,
            )
            for a in applications
        ]
    )


def _forget_audit_entries(label: str, ids: list) -> None:
    """The audit trail's copies of the removed rows go with them."""
    if not ids:
        return
    from django.apps import apps

    content_type = ContentType.objects.get_for_model(apps.get_model(label))
    LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(i) for i in ids]).delete()


def _files_after_commit(names: list[str]) -> None:
    def remove() -> None:
        for name in names:
            documents.remove(name)

    transaction.on_commit(remove)


def _anonymise_account(user: User | None) -> None:
    if user is None:
        return
    user.email = f"raderad-{user.pk}@raderad.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    user.api_tokens.all().delete()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()


def remove_applications(applications: list[Application], why: str) -> Counter:
    """Delete applications with everything hanging off them and their files (after
    commit), keeping anonymous counts. Call inside a transaction."""
    counts: Counter = Counter()
    if not applications:
        return counts
    ids = [a.pk for a in applications]
    tally_removed(applications, why)
    files = list(
        Document.unscoped.filter(application_id__in=ids).values_list("storage_name", flat=True)
    )
    with disable_auditlog():
        for holding in HOLDINGS:
            if not holding.to_person.startswith("application__") and holding.label != (
                "recruitment.Application"
            ):
                continue
            path = "pk__in" if holding.label == "recruitment.Application" else "application_id__in"
            rows = holding.model._default_manager.filter(**{path: ids})
            row_ids = list(rows.values_list("pk", flat=True))
            if row_ids:
                _forget_audit_entries(holding.label, row_ids)
                rows.delete()
                counts[holding.label] += len(row_ids)
    _files_after_commit(files)
    counts["files"] += len(files)
    return counts


def _refuse_unless_allowed(actor: Actor, person: Person, reference: str) -> None:
    actor.require(Perm.PERSONAL_DATA_MANAGE, person)
    if not reference.strip():
        raise InvalidInputError({"reference": [_("Give the request's reference (diarienummer).")]})
    if on_hold(person.pk):
        raise InvalidInputError(
            {"__all__": [_("A legal hold stops deletion while a claim is pending.")]}
        )


def erase_everything(person: Person) -> Counter:
    """Delete every row about the person and their files (after commit). Call inside a
    transaction; no permission check (``erase_person`` and the journal's re-apply do that)."""
    counts: Counter = Counter()
    applications = list(Application.unscoped.filter(person=person).select_related("posting"))
    counts += remove_applications(applications, why="erasure")
    participant_user = User.objects.filter(participant__person=person).first()
    with disable_auditlog():
        for holding in HOLDINGS:
            if holding.to_person.startswith("application__") or holding.label == (
                "recruitment.Application"
            ):
                continue
            rows = holding.rows_for(person)
            row_ids = list(rows.values_list("pk", flat=True))
            if row_ids:
                _forget_audit_entries(holding.label, row_ids)
                rows.delete()
                counts[holding.label] += len(row_ids)
    _anonymise_account(participant_user)
    return counts


def erase_person(*, actor: Actor, person: Person, reference: str) -> Counter:
    """Erase everything Bryggan holds about the person, on their request."""
    from bryggan.privacy import journal

    _refuse_unless_allowed(actor, person, reference)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        counts = erase_everything(person)
        _record_request(actor, person, RequestKind.ERASURE, reference, counts)
        journal.record(municipality_id=person.municipality_id, kind="erasure", erased=[person.pk])
    return counts


def anonymise_everything(person: Person) -> Counter:
    """Strip what identifies the person, keep the rows. Call inside a transaction."""
    from bryggan.programme.models import SupervisionSession, UniversityAssessment
    from bryggan.recruitment.models import ApplicationNote, Assessment, EventRegistration

    counts: Counter = Counter()
    files = list(
        Document.unscoped.filter(application__person=person).values_list("storage_name", flat=True)
    )
    with disable_auditlog():
        for holding in HOLDINGS:
            ids = list(holding.rows_for(person).values_list("pk", flat=True))
            _forget_audit_entries(holding.label, ids)
        if person.email:
            # A sign-up is not linked to a Person, only to an e-mail address: the person's
            # municipality is named so that the same address elsewhere is left alone.
            EventRegistration.objects.filter(
                event__municipality_id=person.municipality_id, email__iexact=person.email
            ).delete()
        counts["documents"] = Document.unscoped.filter(application__person=person).delete()[0]
        counts["notes"] = ApplicationNote.unscoped.filter(application__person=person).delete()[0]
        Assessment.unscoped.filter(application__person=person).update(comment="")
        SupervisionSession.unscoped.filter(participant__person=person).update(notes="")
        UniversityAssessment.unscoped.filter(participant__person=person).update(
            knowledge="–", skills="–", judgement="–"
        )
        Application.unscoped.filter(person=person).update(phone="", interests="")
        participant_user = User.objects.filter(participant__person=person).first()
        person.first_name = "Anonymiserad"
        person.last_name = f"#{person.pk}"
        person.email = ""
        person.personnummer = ""
        person.protected_identity = False
        person.save()
    _anonymise_account(participant_user)
    _files_after_commit(files)
    counts["files"] = len(files)
    return counts


def anonymise_person(*, actor: Actor, person: Person, reference: str) -> Counter:
    """Strip what identifies the person but keep the rows, so the programme's figures stay
    whole: names, contact details, personnummer, free text and documents go."""
    from bryggan.privacy import journal

    _refuse_unless_allowed(actor, person, reference)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        counts = anonymise_everything(person)
        _record_request(actor, person, RequestKind.ANONYMISATION, reference, counts)
        journal.record(
            municipality_id=person.municipality_id, kind="anonymisation", anonymised=[person.pk]
        )
    return counts
