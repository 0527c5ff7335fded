"""The municipality's organisation and its partners in education.

municipality → department (avdelning) → unit (enhet) → staff; supervisors' capacity per term;
universities (lärosäten), their social-work programmes, terms (VT/HT) and practicum periods (VFU).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class DepartmentKind(models.TextChoices):
    CHILDREN_AND_YOUNG = "children_young", _("Children and young people")
    ADULTS = "adults", _("Adults")
    WORK_AND_SUPPORT = "work_support", _("Work and financial assistance")
    DISABILITY = "disability", _("Disability")
    OTHER = "other", _("Other")


class Department(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("area"), max_length=20, choices=DepartmentKind.choices)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="department_unique_name",
                violation_error_message=_("There is already a department with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(TenantModel):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    address = models.CharField(
        _("visiting address"),
        max_length=200,
        blank=True,
        help_text=_("Where a new student or employee comes on the first day."),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="unit_unique_name",
                violation_error_message=_("There is already a unit with this name."),
            )
        ]

    label_fields = ("name",)  # of its option in a list (core.widgets.QuickModelChoiceField)

    def __str__(self) -> str:
        return self.name


class StaffMember(TenantModel):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    # The HR system's number for the employee: how its imports find the same person again.
    employee_number = models.CharField(_("employee number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("unit")
    )
    employed_from = models.DateField(_("employed from"))
    employed_until = models.DateField(_("employed until"), null=True, blank=True)
    user = models.OneToOneField(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
        verbose_name=_("user account"),
    )
    is_trained_supervisor = models.BooleanField(_("trained supervisor"), default=False)
    supervisor_trained_on = models.DateField(
        _("supervision course completed"), null=True, blank=True
    )
    is_mentor = models.BooleanField(_("mentor"), default=False)
    is_trainer = models.BooleanField(_("trainer"), default=False)
    is_specialist = models.BooleanField(_("specialist"), default=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employed_until__isnull=True)
                | Q(employed_until__gte=models.F("employed_from")),
                name="staff_employment_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["municipality", "employee_number"],
                condition=~Q(employee_number=""),
                name="staff_unique_employee_number",
                violation_error_message=_("There is already a staff member with this number."),
            ),
        ]

    label_fields = ("first_name", "last_name")  # as __str__ (core.widgets.QuickModelChoiceField)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if self.employed_until and self.employed_from and self.employed_until < self.employed_from:
            raise ValidationError(
                {"employed_until": _("The end of employment cannot be before its start.")}
            )
        if self.supervisor_trained_on and not self.is_trained_supervisor:
            raise ValidationError(
                {
                    "is_trained_supervisor": _(
                        "Tick “trained supervisor” when a course date is given."
                    )
                }
            )


class University(TenantModel):
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="university_unique_name",
                violation_error_message=_("This university is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Programme(TenantModel):
    """A social-work programme (socionomprogrammet): 210 hp over 7 terms by default."""

    university = models.ForeignKey(
        University,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("university"),
    )
    name = models.CharField(_("name"), max_length=150, default="Socionomprogrammet")
    credits = models.DecimalField(
        _("credits (hp)"),
        max_digits=5,
        decimal_places=1,
        default=210,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
    )
    terms = models.PositiveSmallIntegerField(
        _("terms"), default=7, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    practicum_term = models.PositiveSmallIntegerField(
        _("practicum in term"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    practicum_credits = models.DecimalField(
        _("practicum credits (hp)"),
        max_digits=4,
        decimal_places=1,
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["university__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "university", "name"],
                name="programme_unique_name",
                violation_error_message=_(
                    "This university already has a programme with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.university}"

    def clean(self) -> None:
        if self.practicum_term and self.terms and self.practicum_term > self.terms:
            raise ValidationError(
                {"practicum_term": _("The practicum term must be within the programme.")}
            )


class TermKind(models.TextChoices):
    SPRING = "VT", _("Spring term (VT)")
    AUTUMN = "HT", _("Autumn term (HT)")


class Term(TenantModel):
    kind = models.CharField(_("term"), max_length=2, choices=TermKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year"],
                name="term_unique",
                violation_error_message=_("This term is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A term must end after it starts.")})


class PracticumPeriod(TenantModel):
    """A university's practicum (VFU) in one term: when it runs and the hours it expects."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="practicum_periods",
        verbose_name=_("programme"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="practicum_periods", verbose_name=_("term")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    expected_hours_per_week = models.DecimalField(
        _("expected hours per week"),
        max_digits=4,
        decimal_places=1,
        default=32,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )

    class Meta:
        verbose_name = _("practicum period")
        verbose_name_plural = _("practicum periods")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "programme", "term"],
                name="practicum_period_unique",
                violation_error_message=_(
                    "This programme already has a practicum period in this term."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="practicum_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"VFU {self.term}, {self.programme.university}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A practicum period must end after it starts.")})
        if self.term_id and self.starts_on and self.ends_on:
            term = self.term
            if self.starts_on < term.starts_on or self.ends_on > term.ends_on:
                raise ValidationError(
                    _("The practicum period must lie within the term (%(start)s – %(end)s).")
                    % {"start": term.starts_on, "end": term.ends_on}
                )


class SupervisorCapacity(TenantModel):
    """How many students a supervisor can take in a term. Changed only via capacity services."""

    supervisor = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="capacities",
        verbose_name=_("supervisor"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="capacities", verbose_name=_("term")
    )
    capacity = models.PositiveSmallIntegerField(_("students"), validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("supervisor capacity")
        verbose_name_plural = _("supervisor capacities")
        ordering = ["term", "supervisor__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "term"],
                name="capacity_unique_term",
                violation_error_message=_(
                    "This supervisor already has a capacity for this term; edit that one instead."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor}: {self.capacity} ({self.term})"

    @property
    def unit(self) -> Unit:
        return self.supervisor.unit
