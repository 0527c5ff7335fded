"""Specialists: the municipality's specialist roles (its own titles, areas and whom they
serve), who holds them, consultations colleagues ask without identifying a client,
knowledge notes kept in versions, and legal and practice updates every concerned staff
member acknowledges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class Topic(TenantModel):
    """An area specialists know (child investigations, financial assistance, LVU, …)."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("specialist area")
        verbose_name_plural = _("specialist areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="topic_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Serves(models.TextChoices):
    ALL = "all", _("every unit")
    DEPARTMENT = "department", _("one department")
    UNIT = "unit", _("one unit")


class SpecialistRole(TenantModel):
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    topics = models.ManyToManyField(Topic, related_name="roles", verbose_name=_("areas"))
    serves = models.CharField(_("serves"), max_length=12, choices=Serves.choices)
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("specialist role")
        verbose_name_plural = _("specialist roles")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class RoleHolder(TenantModel):
    role = models.ForeignKey(SpecialistRole, on_delete=models.CASCADE, related_name="holders")
    staff = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.CASCADE,
        related_name="specialist_roles",
        verbose_name=_("staff member"),
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("specialist role holder")
        verbose_name_plural = _("specialist role holders")
        ordering = ["role_id", "since", "pk"]


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a specialist")
    TAKEN = "taken", _("Taken by a specialist")
    ANSWERED = "answered", _("Answered")


class Consultation(TenantModel):
    """A colleague's question to the specialists of an area, with no client in it."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="consultations")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    question = models.TextField(_("question"), max_length=4000)
    status = models.CharField(
        max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    taken_by = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True, max_length=8000)
    helped = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["municipality", "status", "topic"])]


class KnowledgeNote(TenantModel):
    """Reusable knowledge, kept in versions; the newest is what is shown."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="notes")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    version = models.PositiveIntegerField(default=1)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("knowledge note")
        verbose_name_plural = _("knowledge notes")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class NoteVersion(TenantModel):
    note = models.ForeignKey(KnowledgeNote, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge note version")
        verbose_name_plural = _("knowledge note versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["note", "version"], name="note_version_once")
        ]


class LegalUpdate(TenantModel):
    """A new law, a judgment or a changed routine that concerned staff must read."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=8000)
    links = models.TextField(_("links (one per line)"), blank=True, max_length=4000)
    units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="+", verbose_name=_("units concerned")
    )
    roles = models.JSONField(_("roles concerned"), default=list, blank=True)
    everyone = models.BooleanField(_("concerns everyone"), default=False)
    read_by = models.DateField(_("to be read by"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legal or practice update")
        verbose_name_plural = _("legal and practice updates")
        ordering = ["-published_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Acknowledgement(TenantModel):
    update = models.ForeignKey(
        LegalUpdate, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["update", "user"], name="acknowledged_once")]


class DigestSetting(TenantModel):
    """A specialist who wants one e-mail a day of new questions, not one per question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    daily = models.BooleanField(_("one e-mail a day"), default=True)

    class Meta:
        verbose_name = _("e-mail digest setting")
        verbose_name_plural = _("e-mail digest settings")
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="digest_once")]
