"""Joint rounds: several municipalities recruit together, students apply once and rank units
across them, one stable matching places everyone, and every municipality publishes on the
same day through its own publishing path.

The joint round and its membership are shared by the municipalities in it (joint
controllership, docs/dpia.md), so they are not tenant rows. What each municipality screens
is its own: a student's one regional application becomes one ordinary ``Application`` in
each municipality they ranked (its ``Person``, documents, own unit wishes), made only with
the student's consent to share with exactly those municipalities. The regional records hold
only what the joint matching needs across municipalities: the e-mail address the result is
sent to, the whole rank order across municipalities, and which municipality's application
belongs to it.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bryggan.organisation.models import TermKind
from bryggan.recruitment.models import PostingKind

# The kinds a joint round matches (the matching's kinds of posting).
KINDS = [
    (PostingKind.PRACTICUM.value, PostingKind.PRACTICUM.label),
    (PostingKind.STUDENT_EMPLOYEE.value, PostingKind.STUDENT_EMPLOYEE.label),
    (PostingKind.ASPIRANT.value, PostingKind.ASPIRANT.label),
]
MAX_WISHES = 10


def new_nonce() -> str:
    return secrets.token_hex(16)


class JointStatus(models.TextChoices):
    OPEN = "open", _("Open for applications and screening")
    MATCHED = "matched", _("Matched, waiting for the publication day")
    PUBLISHED = "published", _("Published")


class JointRound(models.Model):
    """A round several municipalities agree on: the kind of place, the term, the day
    rankings are final and the day every result is published."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    kind = models.CharField(_("kind of place"), max_length=20, choices=KINDS)
    term_kind = models.CharField(_("term"), max_length=2, choices=TermKind.choices)
    term_year = models.PositiveSmallIntegerField(_("year"))
    rank_deadline = models.DateField(_("rankings final on"))
    publication_on = models.DateField(_("publication day"))
    host = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("host")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JointStatus.choices, default=JointStatus.OPEN
    )
    # The joint matching: the engine instance across every municipality and its result,
    # with the checker's verdict (ids: j<joint application>, u<unit>, s<staff member>).
    instance = models.JSONField(null=True, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)
    explanations = models.JSONField(null=True, blank=True, editable=False)
    stable = models.BooleanField(null=True, editable=False)
    matched_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint round")
        verbose_name_plural = _("joint rounds")
        ordering = ["-publication_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publication_on__gte=models.F("rank_deadline")),
                name="joint_round_publication_after_deadline",
            )
        ]

    def __str__(self) -> str:
        return self.name


class JointMember(models.Model):
    """A municipality in a joint round: invited, then joined with its own posting (its
    units, supervisors and capacity), possibly left before the rank deadline."""

    joint_round = models.ForeignKey(JointRound, on_delete=models.CASCADE, related_name="members")
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="joint_memberships"
    )
    posting = models.ForeignKey(
        "recruitment.Posting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_members",
        verbose_name=_("posting"),
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The municipality's coordinator approved its part of the joint result for publication.
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The municipality's own matching run holding its part of the joint result: what its
    # existing proposal and publishing pages show and publish.
    run = models.ForeignKey(
        "matching.MatchingRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("municipality in a joint round")
        verbose_name_plural = _("municipalities in joint rounds")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_round", "municipality"], name="joint_member_unique"
            ),
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(posting__isnull=False),
                name="joint_posting_in_one_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.joint_round_id}: {self.municipality_id}"

    @property
    def active(self) -> bool:
        return self.joined_at is not None and self.left_at is None


class JointApplication(models.Model):
    """A student's one application to a joint round: where the result goes, and the link
    to their one result page. What they wrote is in each municipality's application."""

    joint_round = models.ForeignKey(
        JointRound, on_delete=models.PROTECT, related_name="applications"
    )
    email = models.EmailField(_("e-mail address"))
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    link_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint application")
        verbose_name_plural = _("joint applications")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_round", "email"],
                name="one_joint_application_per_person",
                violation_error_message=_("You have already applied to this joint round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.joint_round_id}: {self.pk}"


class JointPart(models.Model):
    """The application one municipality received from a joint application (shared with it
    because the student ranked one of its units)."""

    joint_application = models.ForeignKey(
        JointApplication, on_delete=models.CASCADE, related_name="parts"
    )
    member = models.ForeignKey(JointMember, on_delete=models.PROTECT, related_name="parts")
    application = models.OneToOneField(
        "recruitment.Application", on_delete=models.CASCADE, related_name="joint_part"
    )

    class Meta:
        verbose_name = _("application shared with a municipality")
        verbose_name_plural = _("applications shared with municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_application", "member"], name="joint_part_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.joint_application_id} → {self.member_id}"


class JointWish(models.Model):
    """The student's whole rank order across municipalities (rank 1 first)."""

    joint_application = models.ForeignKey(
        JointApplication, on_delete=models.CASCADE, related_name="wishes"
    )
    part = models.ForeignKey(JointPart, on_delete=models.CASCADE, related_name="wishes")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("ranked unit in a joint round")
        verbose_name_plural = _("ranked units in joint rounds")
        ordering = ["joint_application", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_application", "rank"], name="joint_wish_unique_rank"
            ),
            models.UniqueConstraint(
                fields=["joint_application", "unit"], name="joint_wish_unique_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit_id}"
