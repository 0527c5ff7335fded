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
from datetime import date, datetime
from decimal import Decimal

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from bryggan.recruitment.models import Application, Document, Interview, Stage, StageChange

_README = """Det här är en kopia av allt Bryggan har om dig ({name}), tagen {when}.

Börja med sammanfattning.html: den visar på svenska vad vi har om dig, varför och sedan när,
och vem som har läst det. Mappen uppgifter/ har samma uppgifter som JSON med svenska namn.

Varje fil data/<slag>.json innehåller dina uppgifter av ett slag, till exempel dina ansökningar,
dina timmar eller dina placeringar. Mappen documents/ innehåller de dokument du har lämnat in.
access_log.json visar när dina uppgifter har lästs, av vilket konto och i vilket syfte.

Frågor om dina uppgifter besvaras av kommunens dataskyddsombud.
"""


# Why Bryggan holds each app's data, for the person's own summary.
WHY = {
    "core": gettext_lazy("to know who you are in Bryggan and what your account may do"),
    "recruitment": gettext_lazy(
        "to handle your application: assess it, contact you, book an interview and place you"
    ),
    "matching": gettext_lazy("to match students with units and supervisors"),
    "regional": gettext_lazy(
        "to place you once in a joint round of the municipalities whose units you ranked"
    ),
    "programme": gettext_lazy(
        "to run your programme: your placement, hours, supervision, assessments and offers"
    ),
}
_DEFAULT_LABELS = {"created_at": gettext_lazy("created"), "updated_at": gettext_lazy("changed")}


def _value(row, field):
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    value = getattr(row, field.name)
    if value is None:
        return ""
    if field.is_relation:
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return value


def labelled(row, holding) -> dict:
    """A record as its person reads it: the field's Swedish name, the value as shown (a unit's
    name, not its id; a choice's label, not its code); fields without a name of their own and
    internal ones are left to the technical copy."""
    out = {}
    for field in row._meta.concrete_fields:
        if field.name in ("id", "municipality", *holding.secret_fields):
            continue
        if field.name in _DEFAULT_LABELS:
            label = str(_DEFAULT_LABELS[field.name])
        elif str(field.verbose_name) != field.name.replace("_", " "):
            label = capfirst(str(field.verbose_name))
        else:
            continue
        out[label] = _value(row, field)
    return out


def _summary(person: Person, kinds: list[dict]) -> str:
    from bryggan.privacy.reads import kind_label, purpose_label

    reads = [
        {
            "when": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
            "by": e.user.email if e.user else str(_("the system")),
            "what": kind_label(e.subject_type),
            "why": purpose_label(e.purpose),
        }
        for e in AccessLogEntry.objects.filter(person_id=person.pk)
        .select_related("user")
        .order_by("at")
    ]
    return render_to_string(
        "privacy/export_summary.html",
        {
            "person": person,
            "municipality": person.municipality.name,
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "kinds": kinds,
            "reads": reads,
        },
    )


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "dokument"


def export_zip(person: Person) -> tuple[bytes, Counter]:
    """A ZIP of everything held about the person: JSON per kind, their documents, and the
    record of who has read their data."""
    counts: Counter = Counter()
    kinds: list[dict] = []
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
            with translation.override("sv"):
                title = capfirst(str(holding.model._meta.verbose_name_plural))
                rows_read = [labelled(row, holding) for row in rows]
                created = [getattr(r, "created_at", None) for r in rows]
                since = min((c for c in created if c is not None), default=None)
                kinds.append(
                    {
                        "title": title,
                        "why": str(WHY.get(holding.label.split(".")[0], "")),
                        "since": timezone.localtime(since).date().isoformat() if since else "",
                        "rows": rows_read,
                    }
                )
            archive.writestr(
                f"uppgifter/{_safe_name(title)}.json",
                json.dumps(rows_read, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
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
        with translation.override("sv"):
            archive.writestr("sammanfattning.html", _summary(person, kinds))
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
    ids = [a.pk for a in applications]
    interviewed = set(
        StageChange.objects.filter(application_id__in=ids, to_stage=Stage.INTERVIEW).values_list(
            "application_id", flat=True
        )
    ) | set(
        Interview.objects.filter(application_id__in=ids).values_list("application_id", flat=True)
    )
    RemovedApplication.objects.bulk_create(
        [
            RemovedApplication(
                municipality_id=a.municipality_id,
                round_id=a.posting.round_id,
                posting_id=a.posting_id,
                posting_kind=a.posting.kind,
                stage=a.stage,
                interviewed=a.pk in interviewed,
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
