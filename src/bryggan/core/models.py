"""Tenancy, users, roles, API tokens and the access log.

Every tenant-owned row carries ``municipality`` and uses ``TenantManager``: a query on it
outside an active tenant scope raises (django-scopes), so a forgotten filter fails loudly
instead of leaking another municipality's data.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from bryggan.core.branding import validate_brand_colour
from bryggan.core.roles import TENANTLESS_ROLES, Role


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    kommunkod = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits."))],
        help_text=_("The four-digit code from SCB, e.g. 0181 for Södertälje."),
    )
    brand_colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[validate_brand_colour],
        help_text=_("The header's colour on the municipality's pages, e.g. #0b3d5c."),
    )
    # The logo as Bryggan redrew it (core.branding.logo_png); served by core:logo.
    logo = models.BinaryField(_("logo"), blank=True, editable=False, default=b"")
    logo_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"municipality_id": self.pk}


def TenantManager() -> models.Manager:
    return ScopedManager(municipality="municipality")


class TenantModel(models.Model):
    """Base for every row owned by one municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"), editable=False
    )

    # Django's own machinery (model forms building their choices, the admin, deletion
    # collectors) uses the default manager, so it stays plain; every query our code writes goes
    # through ``objects``, which raises outside a tenant scope.
    unscoped = models.Manager()
    objects = TenantManager()

    class Meta:
        abstract = True
        default_manager_name = "unscoped"

    def get_additional_data(self) -> dict:
        # Stored with each audit entry so a municipality's trail can be filtered by tenant.
        return {"municipality_id": self.municipality_id}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("site administrator"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email


class Membership(models.Model):
    """A user's role in one municipality, optionally limited to a department or a unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    university = models.ForeignKey(
        "organisation.University",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("university"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role", "department", "unit"],
                name="membership_unique_role_scope",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality or '—'})"

    def get_additional_data(self) -> dict:
        return {"municipality_id": self.municipality_id}

    def clean(self) -> None:
        if self.role in TENANTLESS_ROLES:
            if self.municipality_id:
                raise ValidationError(_("A national analyst belongs to no municipality."))
            return
        if not self.municipality_id:
            raise ValidationError(_("This role needs a municipality."))
        for scope in (self.department, self.unit, self.university):
            if scope is not None and scope.municipality_id != self.municipality_id:
                raise ValidationError(_("The scope must belong to the same municipality."))


TOKEN_DEFAULT_DAYS = 30


def _token_expiry():
    return timezone.now() + timedelta(days=TOKEN_DEFAULT_DAYS)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the user sees the token once."""

    PREFIX = "bry_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=_token_expiry)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The addresses the token has been used from: a use from a new one goes to the access
    # log (core/middleware.py). The newest MAX_ADDRESSES are kept.
    addresses = models.JSONField(default=list, blank=True, editable=False)

    MAX_ADDRESSES = 20

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AccessLogEntry(models.Model):
    """One read of personal data: who read whose data, when, where and why.

    Written through the gate for reads (``bryggan.core.gate``); never changed or deleted by the app.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    # Whose data: the Person read, when one person's file was read (not a key: the entry
    # outlives an erasure of the person, as the record that their data was read).
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=200)
    path = models.CharField(max_length=500, blank=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Access log entries cannot be deleted.")


class Person(TenantModel):
    """One human per municipality: the spine that follows them from applicant to hire."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    # Optional, validated and shown masked: core/personal_data.py is the one place for it.
    personnummer = models.CharField(_("personnummer"), max_length=13, blank=True)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Contact details hidden from all but HR, never exported, every view logged."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ThrottleEvent(models.Model):
    """One counted event for the throttles (core/throttle.py): an application sent, a failed
    sign-in, an upload's bytes. Whose is a keyed hash of the address, e-mail or posting, never
    the value itself; the events are removed after a day (privacy/retention.housekeeping)."""

    rule = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)
    amount = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("throttle event")
        verbose_name_plural = _("throttle events")
        indexes = [models.Index(fields=["rule", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.at:%Y-%m-%d %H:%M} {self.amount}"
