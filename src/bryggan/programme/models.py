"""Placements of students with a unit and a supervisor (the three steps build on these)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class Stage(models.TextChoices):
    """Where a participant is on their path through the three steps."""

    PRACTICUM = "practicum", _("Step 1 practicum")
    STUDENT_EMPLOYEE = "student_employee", _("Step 2 student employee")
    ASPIRANT = "aspirant", _("Aspirant")
    EMPLOYED = "employed", _("Employed")
    LEFT = "left", _("Left the programme")


# The stages a placement can be in: the one set of step choices, a part of ``Stage``.
PLACEABLE = (Stage.PRACTICUM, Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT)
PLACEABLE_CHOICES = [(stage.value, stage.label) for stage in PLACEABLE]


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
    step = models.CharField(_("step"), max_length=20, choices=PLACEABLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["supervisor", "term"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit} ({self.term})"


class Participant(TenantModel):
    """A person's path through the programme; the steps' moves live in ``programme.steps``."""

    person = models.OneToOneField(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="participant",
        verbose_name=_("person"),
    )
    user = models.OneToOneField(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        verbose_name=_("user account"),
    )
    stage = models.CharField(_("step"), max_length=20, choices=Stage.choices)
    university = models.ForeignKey(
        "organisation.University",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("university"),
    )
    stage_since = models.DateField(_("in this step since"))
    left_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)
    # When the student was last sent the e-mail to choose a password (placing invites them).
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the participant is now and whether anything needs action, kept by
    # programme/state.py: every write that can change them refreshes them in its own
    # transaction, and the daily job as days pass; the overview sorts, filters and counts on
    # them, and shows each page of it from them alone, whatever the municipality's size.
    current_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    current_until = models.DateField(null=True, blank=True, editable=False)
    # The supervisor (practicum) or mentor (employment) of where they are now
    current_contact = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    breach_count = models.PositiveIntegerField(default=0, editable=False)
    needs_action = models.BooleanField(default=False, editable=False)
    # What needs action, as programme/actions.py stores it: [[code, figures], …]
    actions = models.JSONField(default=list, blank=True, editable=False)
    state_checked_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["person__last_name", "person__first_name"]
        indexes = [
            # who is in a step and until when (the home page's step-2 count, the overview's
            # step filter): read from the index, not by scanning the municipality
            models.Index(
                fields=["municipality", "stage", "current_until"], name="participant_stage_until"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class StageMove(TenantModel):
    """The history of a participant's moves between steps, with who and why."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("move between steps")
        verbose_name_plural = _("moves between steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class EmploymentKind(models.TextChoices):
    STUDENT_EMPLOYEE = "student_employee", _("Student employee (step 2)")
    ASPIRANT = "aspirant", _("Aspirant")
    SUMMER_JOB = "summer_job", _("Summer job")


class EmploymentPeriod(TenantModel):
    """A paid period beside studies: step 2 student employment, an aspirant post or the
    guaranteed summer job, at a unit with a mentor."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="employments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmploymentKind.choices)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    mentor = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentees",
        verbose_name=_("mentor"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("employment period")
        verbose_name_plural = _("employment periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="employment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"


# A social worker's monthly salary in SEK, from a summer substitute to a specialist.
SALARY_RANGE = (15_000, 100_000)


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent (tillsvidare)")
    FIXED_TERM = "fixed_term", _("Fixed term (visstid)")
    PROBATION = "probation", _("Probationary (provanställning)")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Offer(TenantModel):
    """An offer of employment (step 3); accepting it creates the staff member."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("position"), max_length=120, default="Socialsekreterare")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    starts_on = models.DateField(_("start date"))
    reply_by = models.DateField(_("answer by"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    direct_hire = models.BooleanField(_("direct hire"), default=False)
    employment_type = models.CharField(
        _("type of employment"),
        max_length=12,
        choices=EmploymentType.choices,
        default=EmploymentType.PERMANENT,
    )
    monthly_salary = models.PositiveIntegerField(_("monthly salary (SEK)"), null=True, blank=True)
    contact = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    staff_member = models.OneToOneField(
        "organisation.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer",
    )
    issued_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("employment offer")
        verbose_name_plural = _("employment offers")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status="pending"),
                name="one_pending_offer_per_participant",
                violation_error_message=_("The participant already has an offer waiting."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.unit}"


class HoursRules(TenantModel):
    """A municipality's hours rules for its programme (one row; defaults from Norrköping's
    aspirants and Huddinge's/Södertälje's step 2 and practicum)."""

    aspirant_monthly_minimum = models.DecimalField(
        _("aspirants: at least hours per calendar month"),
        max_digits=5,
        decimal_places=1,
        default=10,
    )
    student_employee_weekly_maximum = models.DecimalField(
        _("student employees: at most hours per week"),
        max_digits=5,
        decimal_places=1,
        default=16,
        help_text=_("Protects their full-time studies."),
    )
    practicum_weekly_expected = models.DecimalField(
        _("practicum: expected hours per week"), max_digits=5, decimal_places=1, default=32
    )
    practicum_weekly_tolerance = models.DecimalField(
        _("practicum: how far below the expected hours a week may fall"),
        max_digits=5,
        decimal_places=1,
        default=4,
    )
    practicum_weekly_maximum = models.DecimalField(
        _("practicum: at most hours per week"),
        max_digits=5,
        decimal_places=1,
        default=40,
        help_text=_("Full-time study is 40 hours a week; a week of 37–40 hours is ordinary."),
    )
    supervision_every_days = models.PositiveSmallIntegerField(
        _("practicum: a supervision session at least every … days"), default=14
    )
    mentor_meeting_every_days = models.PositiveSmallIntegerField(
        _("step 2 and aspirants: a mentor meeting at least every … days"), default=30
    )
    summer_job_by = models.DateField(
        _("summer jobs registered by"),
        null=True,
        blank=True,
        help_text=_(
            "Step 2 and aspirants without a summer job are flagged until this date "
            "passes, then shown as late."
        ),
    )

    class Meta:
        verbose_name = _("hours rules")
        verbose_name_plural = _("hours rules")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], name="one_hours_rules_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return str(_("Hours rules"))


class HoursStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back for correction")


class HoursEntry(TenantModel):
    """Hours a participant worked on one day (one entry per day), approved by their
    supervisor or mentor."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="hours")
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    activity = models.CharField(_("activity"), max_length=200)
    kind = models.CharField(
        max_length=20, choices=[*Stage.choices, ("summer_job", _("Summer job"))]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HoursStatus.choices, default=HoursStatus.SUBMITTED
    )
    approved_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why an approver sent the day back; the student reads it and corrects the day.
    return_reason = models.CharField(_("sent back because"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "day"],
                name="one_hours_entry_per_day",
                violation_error_message=_("Hours for this day are already logged."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="hours_within_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "day"]),
            # One person's hours: with the tenant's filter on every query, a planner would
            # otherwise take (municipality, day) and read the whole municipality's year.
            models.Index(fields=["municipality", "participant", "day"]),
            # Hours waiting for approval, oldest first: a few among a year of approved days.
            models.Index(fields=["municipality", "status", "day", "participant"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hours} h"


class HoursReminder(TenantModel):
    """A breach of the hours rules that the participant has been reminded of (once)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="hours_reminders"
    )
    rule = models.CharField(max_length=20)
    period = models.CharField(max_length=10)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours reminder")
        verbose_name_plural = _("hours reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "rule", "period"], name="one_reminder_per_breach"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.period}"


class TaskLevel(models.TextChoices):
    """How far a student has come with a task, in order."""

    OBSERVED = "observed", _("Observed")
    ASSISTED = "assisted", _("Assisted")
    SUPERVISED = "supervised", _("Done under supervision")
    INDEPENDENT = "independent", _("Independently")


class TaskItem(TenantModel):
    """One task or competence of a unit's introduction plan (introduktionsplan)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        related_name="task_items",
        verbose_name=_("unit"),
    )
    title = models.CharField(_("task or competence"), max_length=200)
    requires_degree = models.BooleanField(
        _("requires a social-work degree"),
        default=False,
        help_text=_(
            "Assessing whether to open an investigation, investigating and following "
            "up cases about children and young people (HSLF-FS 2017:79)."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["unit", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskSignOff(TenantModel):
    """A supervisor's sign-off of a level reached in a task; the latest one counts."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="task_signoffs"
    )
    item = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="signoffs")
    level = models.CharField(_("level"), max_length=12, choices=TaskLevel.choices)
    signed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task sign-off")
        verbose_name_plural = _("task sign-offs")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.level}"


class SessionKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision session")
    MENTOR = "mentor", _("Mentor meeting")


class SupervisionSession(TenantModel):
    """A supervision session (handledningstillfälle) or mentor meeting. The notes are seen
    only by the supervisor or mentor, the student and the coordinator."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    staff = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervisor or mentor"),
    )
    topics = models.CharField(_("topics"), max_length=300)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class AssessmentKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term assessment")
    FINAL = "final", _("Final assessment")


class Recommendation(models.TextChoices):
    PASS = "pass", _("Meets the goals (recommend pass)")
    AT_RISK = "at_risk", _("At risk of not meeting the goals")
    FAIL = "fail", _("Does not meet the goals (recommend fail)")


class UniversityAssessment(TenantModel):
    """The supervisor's assessment of a practicum on the university's form, signed.

    Signed means locked: a correction is a new signed version that supersedes the old one.
    The three areas follow the goals of the Higher Education Ordinance (knowledge and
    understanding; skills and abilities; judgement and approach).
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="assessments"
    )
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("assessment"), max_length=10, choices=AssessmentKind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    knowledge = models.TextField(_("knowledge and understanding"), max_length=4000)
    skills = models.TextField(_("skills and abilities"), max_length=4000)
    judgement = models.TextField(_("judgement and approach"), max_length=4000)
    absence_days = models.PositiveSmallIntegerField(_("days absent"), default=0)
    recommendation = models.CharField(_("overall"), max_length=10, choices=Recommendation.choices)
    signed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    signed_by_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("university assessment")
        verbose_name_plural = _("university assessments")
        ordering = ["participant", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "version"], name="assessment_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A signed assessment is locked; sign a new version instead.")
        super().save(*args, **kwargs)


class ThesisStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Thesis(TenantModel):
    """A degree thesis written in the municipality's operations (step 2)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="theses")
    title = models.CharField(_("title"), max_length=300)
    university_supervisor = models.CharField(_("the university's supervisor"), max_length=200)
    unit_contact = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contact in the unit"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ThesisStatus.choices, default=ThesisStatus.PLANNED
    )

    class Meta:
        verbose_name = _("thesis")
        verbose_name_plural = _("theses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
