"""Recruitment: rounds, postings, applications with ranked wishes and documents, the board's
stages and history, interviews, assessments and information events.

The applicant's ranked unit wishes (ApplicationWish) and the interviewers' scores (Assessment)
are what matching reads later: a student's ranked units, and a ranking of applicants per unit.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


def new_link_nonce() -> str:
    return secrets.token_hex(16)


class PostingKind(models.TextChoices):
    ASPIRANT = "aspirant", _("Aspirant post")
    PRACTICUM = "practicum", _("Step 1 practicum place")
    STUDENT_EMPLOYEE = "student_employee", _("Step 2 student employee")
    SUMMER_JOB = "summer_job", _("Summer job")
    EMPLOYMENT = "employment", _("Employment")

    @classmethod
    def unpaid(cls) -> frozenset[str]:
        # A practicum (VFU) place is part of the degree, unpaid: it never goes to the national
        # job board, which is for paid work.
        return frozenset({cls.PRACTICUM})

    @property
    def employment_type(self) -> str:
        """schema.org JobPosting employmentType: a practicum place is an internship."""
        return {
            "practicum": "INTERN",
            "aspirant": "PART_TIME",
            "student_employee": "PART_TIME",
            "summer_job": "TEMPORARY",
            "employment": "FULL_TIME",
        }[self.value]


class Round(TenantModel):
    name = models.CharField(_("name"), max_length=150)
    term = models.ForeignKey(
        "organisation.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("term"),
    )
    closes_on = models.DateField(_("round closes"))
    cancelled_on = models.DateField(
        _("cancelled on"),
        null=True,
        blank=True,
        help_text=_(
            "Only if the recruitment was cancelled. Its applications are then kept the full "
            "period from this date, never removed early."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-closes_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="round_unique_name",
                violation_error_message=_("There is already a round with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScoreCriterion(TenantModel):
    """One line of a round's scorecard, scored 1–5 by each interviewer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Posting(TenantModel):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="postings", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=10_000)
    units = models.ManyToManyField(
        "organisation.Unit", related_name="postings", verbose_name=_("units")
    )
    places = models.PositiveSmallIntegerField(
        _("number of places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    last_application_date = models.DateField(_("last application date"))
    status = models.CharField(
        _("status"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    export_to_job_board = models.BooleanField(
        _("export to the national job board"),
        default=False,
        help_text=_("Only paid posts may be exported; practicum places never are."),
    )
    is_open_application = models.BooleanField(
        _("open application (spontanansökan)"),
        default=False,
        help_text=_("Not for one post: applications to it are kept as unsolicited ones."),
    )

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-last_application_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="posting_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(kind="practicum", export_to_job_board=True),
                name="practicum_never_on_job_board",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_paid(self) -> bool:
        return self.kind not in PostingKind.unpaid()

    def is_open_for_applications(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == PostingStatus.PUBLISHED and today <= self.last_application_date


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    ASSESSED = "assessed", _("Assessed")
    OFFERED = "offered", _("Offered / placed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    CAREERS_PAGE = "careers_page", _("The careers page")
    EVENT = "event", _("An information event")
    UNIVERSITY_LIST = "university_list", _("The university's list of placements")
    OTHER = "other", _("Other")


class Application(TenantModel):
    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="applications", verbose_name=_("posting")
    )
    person = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    university = models.ForeignKey(
        "organisation.University",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("university"),
    )
    programme = models.CharField(_("programme"), max_length=150, blank=True)
    current_term = models.PositiveSmallIntegerField(
        _("current term of the programme"),
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    expected_graduation = models.CharField(_("expected graduation"), max_length=20)
    interests = models.TextField(_("interests"), max_length=4000, blank=True)
    source = models.CharField(
        _("where did you hear about us?"),
        max_length=20,
        choices=Source.choices,
        default=Source.CAREERS_PAGE,
    )
    event = models.ForeignKey(
        "recruitment.InformationEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("information event"),
    )
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    # The talent pool: kept for later recruitments only while this consent stands.
    talent_pool_consent_at = models.DateTimeField(null=True, blank=True)
    talent_pool_withdrawn_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.RECEIVED, db_index=True
    )
    # The private status link is signed (django.core.signing) with this nonce inside; a new
    # nonce revokes every link sent before.
    link_nonce = models.CharField(max_length=32, default=new_link_nonce, editable=False)
    shared_with = models.ManyToManyField(
        "organisation.StaffMember",
        blank=True,
        related_name="shared_applications",
        verbose_name=_("shared with supervisors"),
    )
    # The place offered when matching is published: what the e-mail and the applicant's page
    # name (the placement itself lives in the programme).
    offered_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered unit"),
    )
    offered_supervisor = models.ForeignKey(
        "organisation.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered supervisor"),
    )
    offered_start = models.DateField(_("offered start"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "person"],
                name="one_application_per_posting",
                violation_error_message=_("You have already applied to this posting."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.posting}"

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.REJECTED, Stage.WITHDRAWN)


class ApplicationWish(TenantModel):
    """The applicant's ranked units: rank 1 is the first wish."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="wishes")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("wished unit")
        verbose_name_plural = _("wished units")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="wish_unique_rank"),
            models.UniqueConstraint(fields=["application", "unit"], name="wish_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit_id}"


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    LETTER = "letter", _("Personal letter")


class Document(TenantModel):
    """An uploaded file, stored outside the web root under a random name."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    storage_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class StageChange(TenantModel):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    actor = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    email_sent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("change of stage")
        verbose_name_plural = _("changes of stage")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class RejectionBatch(TenantModel):
    """Applications rejected together. Their e-mails wait until ``send_after`` so that the
    coordinator can undo a slip; the background worker sends them then, unless undone."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="rejection_batches")
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField()
    # The stage each application had before, by application id: what undo restores.
    previous = models.JSONField(default=dict)
    sent_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rejection batch")
        verbose_name_plural = _("rejection batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.posting_id}: {len(self.previous)}"


class ApplicationNote(TenantModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application note")
        verbose_name_plural = _("application notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Assessment(TenantModel):
    """One interviewer's scorecard for one application: {criterion id: 1–5}."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    interviewer = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interview assessment")
        verbose_name_plural = _("interview assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer"], name="one_assessment_per_interviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.interviewer_id}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())


class InterviewSlot(TenantModel):
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    interviewers = models.ManyToManyField(
        "organisation.StaffMember", related_name="interview_slots", verbose_name=_("interviewers")
    )

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_times_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class InterviewStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class Interview(TenantModel):
    """A booked interview. Its UID never changes; SEQUENCE rises with every change (RFC 5545)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="interviews")
    uid = models.CharField(max_length=100, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.BOOKED
    )
    reminder_sent_for = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="one_booking_per_slot",
                violation_error_message=_("Someone else has just booked this time."),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="booked"),
                name="one_booked_interview_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.slot}"


class InformationEvent(TenantModel):
    """An information event at a university, run by a host municipality, often jointly."""

    title = models.CharField(_("title"), max_length=150)
    university_name = models.CharField(_("university"), max_length=150)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    partners = models.ManyToManyField(
        "core.Municipality",
        blank=True,
        related_name="joint_events",
        verbose_name=_("municipalities taking part"),
    )

    class Meta:
        verbose_name = _("information event")
        verbose_name_plural = _("information events")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"


class EventRegistration(models.Model):
    """A student's sign-up to an event; seen by every municipality taking part."""

    event = models.ForeignKey(
        InformationEvent, on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event sign-up")
        verbose_name_plural = _("event sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return self.name
