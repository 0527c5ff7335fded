"""The roles a person can hold in Bryggan (glossary: ARCHITECTURE.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Programme coordinator")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    MENTOR = "mentor", _("Mentor")
    TRAINER = "trainer", _("Trainer")
    SPECIALIST = "specialist", _("Specialist social worker")
    HR = "hr", _("HR / staffing strategist")
    STUDENT = "student", _("Student")
    NEW_HIRE = "new_hire", _("New hire (broad introduction)")
    UNIVERSITY_CONTACT = "university_contact", _("University placement coordinator")
    DPO = "dpo", _("Data protection officer")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")


# The national analyst works across municipalities and never belongs to one.
TENANTLESS_ROLES = frozenset({Role.NATIONAL_ANALYST})
