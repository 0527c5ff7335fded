"""The broad introduction: a programme of areas every new hire rotates through, cohorts of
new hires, the places units offer week by week, absences, and the schedule the planner made.

programme → areas (a department each, a block length) and unit places (per trainer);
programme → cohorts (a start Monday) → members (staff members: the new hires), absences,
blocks (one per member and area: unit, supervisor, weeks) and the changes a re-plan made.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class IntroductionProgramme(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=16, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("introduction programme")
        verbose_name_plural = _("introduction programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="intro_programme_unique_name",
                violation_error_message=_("There is already a programme with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(TenantModel):
    """An area every new hire rotates through: a department's units, for ``weeks`` weeks."""

    programme = models.ForeignKey(
        IntroductionProgramme, on_delete=models.CASCADE, related_name="areas"
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    weeks = models.PositiveSmallIntegerField(
        _("block length (weeks)"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "department"], name="intro_area_unique_department"
            )
        ]

    def __str__(self) -> str:
        return self.department.name


class UnitPlaces(TenantModel):
    """New hires a unit can take each week, from one of its trainers (or the unit itself)."""

    programme = models.ForeignKey(
        IntroductionProgramme, on_delete=models.CASCADE, related_name="places"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    trainer = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trainer"),
    )
    places = models.PositiveSmallIntegerField(
        _("new hires a week"), validators=[MaxValueValidator(50)]
    )

    class Meta:
        verbose_name = _("unit places")
        verbose_name_plural = _("unit places")
        ordering = ["unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit", "trainer"],
                name="intro_places_unique",
                nulls_distinct=False,
            )
        ]


class PlanStatus(models.TextChoices):
    NONE = "", _("Not planned")
    OPTIMAL = "optimal", _("Optimal")
    FEASIBLE = "feasible", _("Feasible, not proven optimal")
    INFEASIBLE = "infeasible", _("No schedule fits the capacity")
    UNKNOWN = "unknown", _("No schedule found in the time given")


class Cohort(TenantModel):
    programme = models.ForeignKey(
        IntroductionProgramme, on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts (a Monday)"))
    plan_status = models.CharField(
        _("schedule"), max_length=10, choices=PlanStatus.choices, default="", blank=True
    )
    planned_at = models.DateTimeField(null=True, blank=True)
    plan_gap = models.FloatField(default=0.0)
    plan_seconds = models.FloatField(default=0.0)
    # What is short when no schedule fits: [{"kind", "what", "weeks", "missing"}]
    shortages = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="intro_cohort_unique_name",
                violation_error_message=_("There is already a cohort with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weeks(self) -> int:
        return self.programme.weeks

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(weeks=self.weeks, days=-1)

    def monday(self, week: int) -> date:
        """The first day of week ``week`` (0-based)."""
        return self.starts_on + timedelta(weeks=week)

    def week_of(self, day: date) -> int:
        """The 0-based week ``day`` falls in (negative before the start)."""
        return (day - self.starts_on).days // 7


class CohortMember(TenantModel):
    """A new hire in a cohort (a staff member: an accepted offer becomes one)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    staff = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("new hire"),
    )
    final_area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wishes to end in"),
    )
    avoid_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit to avoid (where they were a student)"),
    )
    left_on = models.DateField(_("left the introduction on"), null=True, blank=True)
    # After the introduction: where they want to work, and where they were placed.
    wished_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wants to work at"),
    )
    placed_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed at"),
    )
    placed_on = models.DateField(_("placed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("new hire")
        verbose_name_plural = _("new hires")
        ordering = ["staff__last_name", "staff__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "staff"], name="intro_member_once")
        ]

    def __str__(self) -> str:
        return str(self.staff)


class Absence(TenantModel):
    """A trainer or supervisor away for some of a cohort's weeks: their places are gone."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="absences")
    staff = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("staff member"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]


class Block(TenantModel):
    """One new hire's weeks in one area: the unit, the supervisor and the weeks."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="blocks")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        "organisation.StaffMember", on_delete=models.PROTECT, related_name="introduction_blocks"
    )
    start_week = models.PositiveSmallIntegerField()  # 0-based
    end_week = models.PositiveSmallIntegerField()  # the week after the last
    # The same weeks as days, so that capacity across cohorts is one query.
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        verbose_name = _("introduction block")
        verbose_name_plural = _("introduction blocks")
        ordering = ["member_id", "start_week"]
        indexes = [models.Index(fields=["supervisor", "starts_on", "ends_on"])]


class ScheduleChange(TenantModel):
    """What a re-plan changed for one new hire, as told to them."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="changes")
    lines = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["-created_at", "pk"]
