"""Placements of students with a unit and a supervisor (the three steps build on these)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class Step(models.TextChoices):
    PRACTICUM = "practicum", _("Step 1 practicum")
    STUDENT_EMPLOYEE = "student_employee", _("Step 2 student employee")
    ASPIRANT = "aspirant", _("Aspirant")


class Placement(TenantModel):
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="placements", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("unit"),
    )
    supervisor = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("supervisor"),
    )
    term = models.ForeignKey(
        "organisation.Term",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("term"),
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["supervisor", "term"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit} ({self.term})"
