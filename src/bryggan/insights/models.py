"""Insights: what the municipality's HR system reports each month (sick leave and caseload
per unit), imports waiting for their confirmation, next year's hiring need, anonymous
evaluation surveys, and the nightly figures per municipality the national comparison reads.

Staff, their employment dates and leavers live in the one staff register
(organisation.StaffMember); the HR import writes them there."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import Municipality, TenantModel

NEED_MAX = 500  # hires a year one department can plan for: more is a typing error


class UnitMonth(TenantModel):
    """One unit's month as the HR and case systems report it."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sick_leave_percent = models.DecimalField(
        _("sick leave (percent of scheduled hours)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    open_cases = models.PositiveIntegerField(
        _("open cases"), validators=[MaxValueValidator(100_000)]
    )
    case_workers = models.DecimalField(
        _("case workers (full-time equivalents)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10_000)],
    )

    class Meta:
        verbose_name = _("unit month")
        verbose_name_plural = _("unit months")
        ordering = ["month", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="unit_month_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class ImportKind(models.TextChoices):
    STAFF = "staff", _("Staff and leavers")
    UNIT_MONTHS = "unit_months", _("Sick leave and caseload per unit and month")


class PendingImport(TenantModel):
    """A checked file waiting for the coordinator to confirm it (the preview): its rows as
    they will be written. Confirming checks them again and writes all or nothing."""

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class HiringNeed(TenantModel):
    """How many social workers a department needs to hire in a year (the forecast's goal)."""

    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    need = models.PositiveSmallIntegerField(
        _("hires needed"), validators=[MaxValueValidator(NEED_MAX)]
    )

    class Meta:
        verbose_name = _("hiring need")
        verbose_name_plural = _("hiring needs")
        ordering = ["year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="hiring_need_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.need}"


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff")
    STUDENTS = "students", _("Students and participants")


class Survey(TenantModel):
    title = models.CharField(_("title"), max_length=150)
    audience = models.CharField(_("sent to"), max_length=10, choices=Audience.choices)
    introduction = models.TextField(_("introduction"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closes_on = models.DateField(_("closes"))
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agree or disagree (1–5)")
    TEXT = "text", _("Free text")


class Question(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=6, choices=QuestionKind.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Invitation(TenantModel):
    """One answering link. It names no one: the token's hash and whether it was used, so
    no answer can be traced to the person the link was sent to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")

    def __str__(self) -> str:
        return f"{self.survey} link"


class Response(TenantModel):
    """One anonymous set of answers: no link, person or time of day kept with it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey} response"


class Answer(TenantModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.score or ''}"


class MunicipalityYear(models.Model):
    """One municipality's anonymised figures for one year, refreshed nightly (and by
    ``manage.py insights_refresh``): what the national comparison reads, so it costs the
    same for 290 municipalities and a million applications as for two. Counts only, never
    a person."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    applications = models.PositiveIntegerField(default=0)
    interviewed = models.PositiveIntegerField(default=0)
    step1 = models.PositiveIntegerField(default=0)
    step2 = models.PositiveIntegerField(default=0)
    offered = models.PositiveIntegerField(default=0)
    hired = models.PositiveIntegerField(default=0)
    # Retention: programme hires of the year and those of them still employed 12 months on
    # (only hires at least 12 months ago count in either).
    hires_followed = models.PositiveIntegerField(default=0)
    retained_12m = models.PositiveIntegerField(default=0)
    headcount = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    leavers = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("municipality's yearly figures")
        verbose_name_plural = _("municipalities' yearly figures")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="municipality_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class MunicipalityProfile(models.Model):
    """Which programmes a municipality runs and under which titles (refreshed with the
    yearly figures)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    aspirant = models.BooleanField(default=False)
    trainee = models.BooleanField(default=False)
    specialists = models.BooleanField(default=False)
    broad_introduction = models.BooleanField(default=False)
    titles = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("municipality's programmes")
        verbose_name_plural = _("municipalities' programmes")

    def __str__(self) -> str:
        return str(self.municipality)
