"""Personnummer and protected identity: the one place for how they are checked and shown.

* A personnummer (or samordningsnummer) is optional, validated by the ``personnummer``
  library (check digit, a real date, day + 60 for a samordningsnummer), stored once on
  ``Person`` as YYYYMMDD-XXXX and shown masked (YYMMDD-XXXX with the last four hidden)
  except to roles that need it (``Perm.PERSONNUMMER_VIEW``). It is never put in URLs, logs,
  or exports.
* A person with a protected identity has their contact details hidden from everyone but
  ``Perm.PROTECTED_CONTACT_VIEW``, never exported, and every view of them is access-logged.
* Free-text fields where staff might type a client's details refuse anything that is a
  personnummer (``refuse_personnummer``).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from personnummer import personnummer as pnr

from bryggan.core.permissions import Actor, Perm

HIDDEN = gettext_lazy("Protected identity")


def _parse(raw: str) -> pnr.Personnummer:
    try:
        return pnr.Personnummer(raw.strip())
    except (pnr.PersonnummerException, ValueError, TypeError) as error:
        raise ValidationError(
            _(
                "This is not a valid personnummer or samordningsnummer: write it as "
                "YYYYMMDD-XXXX and check the last digit."
            ),
            code="invalid",
        ) from error


def normalize_personnummer(raw: str | None) -> str:
    """'' for nothing; otherwise the number as YYYYMMDD-XXXX, or ValidationError."""
    if raw is None or not raw.strip():
        return ""
    if len(raw) > 20:
        raise ValidationError(_("A personnummer has 10 or 12 digits."), code="too_long")
    number = _parse(raw)
    born: date = number.get_date()
    if born > timezone.localdate():
        raise ValidationError(_("The birth date in the personnummer is in the future."))
    return f"{number.format(True)[:8]}-{number.format(True)[8:]}"


def mask_personnummer(value: str) -> str:
    """YYYYMMDD-XXXX -> YYMMDD-XXXX with the last four hidden: '850709-XXXX'."""
    if not value:
        return ""
    return f"{value[2:8]}-XXXX"


def personnummer_for(actor: Actor, person) -> str:
    """What this actor may see of the person's personnummer: all of it, or masked."""
    value = getattr(person, "personnummer", "")
    if not value:
        return ""
    if actor.can(Perm.PERSONNUMMER_VIEW, person) and contact_visible(actor, person):
        return value
    return mask_personnummer(value)


def contact_visible(actor: Actor, person) -> bool:
    """May the actor see this person's contact details (e-mail, phone)?"""
    if not getattr(person, "protected_identity", False):
        return True
    return actor.can(Perm.PROTECTED_CONTACT_VIEW, person)


def contact(actor: Actor, person, value: str) -> str:
    """The contact detail, or 'Protected identity' where the actor may not see it."""
    if not value:
        return value
    return value if contact_visible(actor, person) else str(HIDDEN)


def exportable_contact(person_protected: bool, value: str) -> str:
    """Exports never carry a protected person's contact details, whoever asks."""
    return "" if person_protected else value


# Ten or twelve digits with an optional - or + before the last four; also inside text.
_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?(\d{4})(?!\d)")


def personnummer_in_text(text: str) -> list[str]:
    """Every valid personnummer or samordningsnummer written in the text."""
    found = []
    for match in _CANDIDATE.finditer(text or ""):
        candidate = match.group(1) + "-" + match.group(2)
        try:
            _parse(candidate)
        except ValidationError:
            continue
        found.append(match.group(0))
    return found


def refuse_personnummer(value: str) -> None:
    """Form validator for free text about clients or cases: no personnummer in it."""
    if personnummer_in_text(value):
        raise ValidationError(
            _(
                "Remove the personnummer: notes here must not identify a client. Write "
                "initials or a case reference instead."
            ),
            code="personnummer",
        )


def personnummer_errors(**texts: str) -> dict[str, list[str]]:
    """For services: {field: [message]} for each free-text field holding a personnummer."""
    errors: dict[str, list[str]] = {}
    for name, text in texts.items():
        try:
            refuse_personnummer(text or "")
        except ValidationError as error:
            errors[name] = list(error.messages)
    return errors
