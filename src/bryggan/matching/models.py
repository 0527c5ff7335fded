"""The coordinator's matching: runs kept with their inputs and results, the pairs they pinned
or forbade, their own ranking of applicants per unit, and hand-made overrides with a reason.

A run stores the exact engine instance and result (``bryggan.matching.engine`` JSON), so any
past run can be downloaded and re-checked outside Bryggan.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class ConstraintKind(models.TextChoices):
    PINNED = "pinned", _("Must go to this unit")
    FORBIDDEN = "forbidden", _("Must not go to this unit")


class MatchingConstraint(TenantModel):
    """A pinned pair (e.g. a returning aspirant) or a forbidden one (conflict of interest)."""

    posting = models.ForeignKey(
        "recruitment.Posting", on_delete=models.CASCADE, related_name="matching_constraints"
    )
    application = models.ForeignKey(
        "recruitment.Application",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("applicant"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConstraintKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pinned or forbidden pair")
        verbose_name_plural = _("pinned or forbidden pairs")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "unit"],
                name="one_constraint_per_pair",
                violation_error_message=_("This pair already has a rule; remove it first."),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="pinned"),
                name="one_pin_per_applicant",
                violation_error_message=_("The applicant is already pinned to a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.application_id} → {self.unit_id}"


class UnitRankingEntry(TenantModel):
    """The coordinator's own ranking of a unit's applicants; replaces the scores-based one."""

    posting = models.ForeignKey(
        "recruitment.Posting", on_delete=models.CASCADE, related_name="ranking_entries"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("place in a unit's ranking")
        verbose_name_plural = _("places in units' rankings")
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "unit", "application"], name="ranking_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.position}. {self.application_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Running")
    PROPOSED = "proposed", _("Proposal")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class MatchingRun(TenantModel):
    posting = models.ForeignKey(
        "recruitment.Posting",
        on_delete=models.PROTECT,
        related_name="matching_runs",
        verbose_name=_("posting"),
    )
    number = models.PositiveIntegerField()
    optimal = models.CharField(
        _("optimal for"),
        max_length=10,
        choices=[("student", _("the students")), ("unit", _("the units"))],
        default="student",
    )
    seed = models.PositiveIntegerField(_("lottery seed"), default=0)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    instance = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    explanations = models.JSONField(null=True, blank=True)
    stable = models.BooleanField(null=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "number"], name="run_number_unique"),
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(status="published"),
                name="one_published_run_per_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class MatchingOverride(TenantModel):
    """A coordinator's hand-made change to one student's placement in a run, with a reason.

    ``unit`` empty means "not placed".
    """

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="overrides")
    application = models.ForeignKey(
        "recruitment.Application",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("applicant"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    supervisor = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement changed by hand")
        verbose_name_plural = _("placements changed by hand")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.unit_id}"
