"""The access log in the reader's language. Entries keep stable English codes for what was
read and why (the log is evidence and must not change with a translation); the DPO's page
shows them through these tables, with the code beside, and the CSV export keeps the codes
for analysis.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bryggan.privacy.forms import SUBJECT_KINDS
from bryggan.recruitment.release import FIELDS as RELEASE_FIELDS

KINDS = {code: label for code, label in SUBJECT_KINDS if code}

# Why something was read: the codes the selectors write, longest first when one is a prefix of
# another. What follows a code (a run's number, a month, a records request's reference) is
# kept as it is.
PURPOSES = {
    "list": _("list"),
    "detail": _("detail"),
    "edit form": _("edit form"),
    "api list": _("API: list"),
    "api detail": _("API: detail"),
    "interview times": _("interview times"),
    "board": _("the board"),
    "application file": _("application file"),
    "assessment form": _("assessment form"),
    "document download": _("document download"),
    "document preview": _("document preview"),
    "release copy": _("copy released under a records request"),
    "matching inputs": _("matching inputs, posting"),
    "unit ranking": _("unit ranking, posting"),
    "matching run": _("matching run"),
    "matching publish": _("publishing a matching run"),
    "joint round results": _("joint round, the municipality's part of the result"),
    "joint matching": _("joint round's matching, across the municipalities"),
    "joint publication": _("joint round's publication, across the municipalities"),
    "programme overview": _("programme overview"),
    "participant page": _("participant page"),
    "theses": _("theses"),
    "hours to approve": _("hours to approve"),
    "hours export": _("hours export"),
    "task plan": _("introduction plan"),
    "my students": _("my students"),
    "assessment sign page": _("signing the university assessment"),
    "assessment list": _("university assessments"),
    "assessment pdf": _("university assessment (PDF)"),
    "assessment page": _("university assessment"),
    "people search": _("people search"),
    "data subject page": _("data subject page"),
    "data subject export": _("data subject export"),
    "access log export": _("access log export"),
    "retention dry run": _("retention dry run"),
    "api board": _("API: the board"),
    "api application": _("API: application"),
    "api application move": _("API: application moved"),
    "api matching run": _("API: matching run"),
    "api participants": _("API: participants"),
    "api participant": _("API: participant"),
    "api hours": _("API: hours"),
    "api placements": _("API: placements"),
    "api move": _("API: participant moved"),
    "api token from a new address": _("API token used from a new address"),
    "home page": _("home page (what needs the reader)"),
    "introduction cohort": _("broad introduction: cohort"),
    "introduction export": _("broad introduction: schedule export"),
    "introduction schedule": _("broad introduction: schedule file"),
    "introduction unit": _("broad introduction: a unit's weeks"),
    "api introduction cohort": _("API: broad introduction cohort"),
    "update readers": _("who has not read an update"),
}
PROTECTED = " [protected identity]"
MASKED = "; masked: "


def kind_label(code: str) -> str:
    return str(KINDS.get(code, code))


def purpose_label(purpose: str) -> str:
    """The purpose in the reader's language; an unknown one as it was written."""
    mark = purpose.endswith(PROTECTED)
    text = purpose[: -len(PROTECTED)] if mark else purpose
    for code in sorted(PURPOSES, key=len, reverse=True):
        if text == code or text.startswith(code + " ") or text.startswith(code + ";"):
            text = str(PURPOSES[code]) + text[len(code) :]
            break
    if MASKED in text:
        # A release copy names what the secrecy review masked, by field code.
        text, _sep, fields = text.partition(MASKED)
        labels = {key: str(label) for key, label, _read in RELEASE_FIELDS}
        named = [labels.get(f.strip(), f.strip()) for f in fields.split(",") if f.strip()]
        shown = ", ".join(named) if named and named != ["none"] else str(_("nothing"))
        text += "; " + str(_("masked: %(fields)s") % {"fields": shown})
    return text + (f" [{_('protected identity')}]" if mark else "")
