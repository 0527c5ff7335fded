"""Retention policies, legal holds, data-subject requests and what purges removed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel


class DataKind(models.TextChoices):
    APPLICANT_NOT_HIRED = "applicant_not_hired", _("Applicants who were not hired")
    REJECTED_INTERVIEW_NOTES = "rejected_notes", _("Interview notes on rejected applicants")
    CANCELLED_RECRUITMENT = "cancelled_recruitment", _("Applications to a cancelled recruitment")
    UNSOLICITED = "unsolicited", _("Unsolicited applications")
    TALENT_POOL = "talent_pool", _("Talent pool")
    APPLICANT_HIRED = "applicant_hired", _("Hired applicants")
    PARTICIPANT = "participant", _("Programme participants")
    STAFF = "staff", _("Staff who have left")


class RetentionPolicy(TenantModel):
    """How long one kind of data is kept, under which of the municipality's deletion
    decisions (gallringsbeslut). Nothing is deleted for a kind without a decision."""

    kind = models.CharField(_("kind of data"), max_length=30, choices=DataKind.choices)
    months = models.PositiveIntegerField(
        _("months kept"),
        null=True,
        blank=True,
        help_text=_("Empty: kept until the municipality decides otherwise."),
    )
    decision_reference = models.CharField(
        _("deletion decision (reference)"),
        max_length=100,
        blank=True,
        help_text=_("The municipality's adopted decision, e.g. “KS 2025/412 § 7”."),
    )
    decision_date = models.DateField(_("decided on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="one_policy_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months or '–'}"


class LegalHold(TenantModel):
    """While a claim is pending (e.g. discrimination), nothing of the person is deleted."""

    person_id = models.BigIntegerField(db_index=True)
    reason = models.CharField(_("case or reason"), max_length=200)
    placed_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"#{self.person_id}: {self.reason}"


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Copy of the data (export)")
    ERASURE = "erasure", _("Erasure")
    ANONYMISATION = "anonymisation", _("Anonymisation")


class DataSubjectRequest(TenantModel):
    """A request under GDPR and how it was handled: no name, only the person's id."""

    person_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    by_the_person = models.BooleanField(default=False)
    handled_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-handled_at"]


class PurgeRun(TenantModel):
    """One run of the retention purge: when, and how much of each kind it removed."""

    at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)
    files_removed = models.PositiveIntegerField(default=0)

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        labels = dict(DataKind.choices) | {"people": _("people with nothing left")}
        return [(str(labels.get(kind, kind)), n) for kind, n in self.counts.items()]

    class Meta:
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        ordering = ["-at"]


class RemovedApplication(TenantModel):
    """An application removed by a purge or an erasure, without anything personal: the
    funnel figures (how many applied, reached interview, were placed) survive it."""

    round_id = models.BigIntegerField(null=True)
    posting_id = models.BigIntegerField(null=True)
    posting_kind = models.CharField(max_length=20)
    stage = models.CharField(max_length=12)
    # Whether it had reached an interview: the funnel's second figure survives it too.
    interviewed = models.BooleanField(default=False)
    source = models.CharField(max_length=20)
    university_id = models.BigIntegerField(null=True)
    applied_month = models.DateField()
    removed_at = models.DateTimeField(default=timezone.now)
    why = models.CharField(max_length=30)

    class Meta:
        verbose_name = _("removed application (counts only)")
        verbose_name_plural = _("removed applications (counts only)")
