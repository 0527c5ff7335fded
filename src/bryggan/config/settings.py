"""Bryggan settings: one module, driven by the environment.

With nothing set you get a demo: a SQLite file under ./var, console e-mail, a secret key
generated once into ./var/secret_key. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS
and EMAIL_URL-style settings (see README).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
# An empty BRYGGAN_VAR_DIR means the default, never the working directory.
VAR_DIR = Path(os.environ.get("BRYGGAN_VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    # Demo and development: a key made once per checkout, never committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "bryggan.core",
    "bryggan.organisation",
    "bryggan.programme",
    "bryggan.recruitment",
    "bryggan.matching",
    "bryggan.introduction",
    "bryggan.specialists",
    "bryggan.insights",
    "bryggan.regional",
    "bryggan.privacy",
    "bryggan.identity",
    "bryggan.demo",
    "bryggan.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bryggan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bryggan.core.middleware.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bryggan.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bryggan.core.middleware.TenantMiddleware",
    "bryggan.identity.middleware.ProviderRecheckMiddleware",
    "bryggan.core.two_factor.TwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bryggan.config.urls"
CSRF_FAILURE_VIEW = "bryggan.core.views.csrf_failure"
WSGI_APPLICATION = "bryggan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "bryggan.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'bryggan.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run while one writer writes: enough for a demo or a small municipality.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL's JIT compiler spends seconds compiling the plans of the insights' grouped
    # counts over a million rows that run in a quarter of a second without it (measured by
    # `make bench-insights`); Bryggan's queries are short, so it is off for every connection.
    pg_options = ["-c jit=off"]
    if os.environ.get("DB_STATEMENT_TIMEOUT_MS", "").isdigit():
        # The web processes' ceiling on one SQL statement (production sets it for gunicorn,
        # not for migrations and management commands): a runaway query ends instead of
        # holding a thread and a connection.
        pg_options.append(f"-c statement_timeout={int(os.environ['DB_STATEMENT_TIMEOUT_MS'])}")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(pg_options)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
# django-axes first: it counts failed sign-ins and refuses a locked-out account before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out: five failed sign-ins for one account lock it for 15 minutes (from any address, so
# an attacker cannot go on from another one); a successful sign-in resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail address)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bryggan.core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "bryggan.core.client_address.axes_client_address"
# The owner of a locked account gets past the lock with a link e-mailed to them
# (core/sign_in.py); spraying from one address is throttled there too.
AXES_WHITELIST_CALLABLE = "bryggan.core.sign_in.whitelisted"
# Successful sign-ins are not kept by axes (the session and audit trail are enough); failed
# attempts are removed by the retention task after AXES_ATTEMPT_RETENTION_DAYS.
AXES_DISABLE_ACCESS_LOG = True
AXES_ATTEMPT_RETENTION_DAYS = 30
# Throttles on the public forms and the sign-in (core/throttle.py), and the least time a
# person takes to fill in a public form (a bot is faster).
THROTTLES_ENABLED = env_bool("THROTTLES_ENABLED", True)
PUBLIC_FORM_MIN_SECONDS = int(os.environ.get("PUBLIC_FORM_MIN_SECONDS", "3"))
# How many proxies in front of Bryggan append the address they saw to X-Forwarded-For (1 for
# the nginx of the README); 0 when clients connect directly (core/client_address.py).
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
# Two-factor sign-in (TOTP) for the roles that see most personal data (core/two_factor.py).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)

# A session begun at a municipality's identity provider is checked with it again this often
# (identity/middleware.py): someone removed from its groups loses access within this time.
SSO_RECHECK_MINUTES = int(os.environ.get("SSO_RECHECK_MINUTES", "15"))

# SAML single sign-on: Bryggan signs its logout requests with this key; its certificate is in
# Bryggan's SAML metadata. Made on first use when missing (give every server the same files).
SAML_SP_KEY_FILE = Path(os.environ.get("SAML_SP_KEY_FILE") or VAR_DIR / "saml" / "sp.key")
SAML_SP_CERT_FILE = Path(os.environ.get("SAML_SP_CERT_FILE") or VAR_DIR / "saml" / "sp.crt")
OTP_TOTP_ISSUER = "Bryggan"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "src" / "bryggan" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Applicants' documents: outside any served folder, reachable only through a permission-
# checked, access-logged view.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
# Every purge and erasure is journalled here, outside the database, so that restoring a
# backup cannot bring back what was removed after it (privacy/journal.py). Keep it on the same
# durable storage as the documents.
REMOVAL_JOURNAL = Path(os.environ.get("REMOVAL_JOURNAL", VAR_DIR / "removal-journal.jsonl"))
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# A DOCX or ODT unpacks to a few times its size; far more is a "ZIP bomb".
DOCUMENT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Large enough for an application with two 10 MB documents; Django refuses anything bigger.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The address people reach Bryggan at, for links in e-mails and calendar invites.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
APPLICATION_LINK_DAYS = int(os.environ.get("APPLICATION_LINK_DAYS", "365"))
CONSENT_VERSION = "2026-1"
# How long an application is kept after its round ends (the time to challenge a decision).
APPLICATION_RETENTION_MONTHS = 24

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bryggan <no-reply@bryggan.local>")

SESSION_COOKIE_HTTPONLY = True
# Signed-in sessions end after 30 minutes idle and 12 hours at most (SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# HTTPS=1 in production (behind a TLS-terminating reverse proxy): secure cookies, HSTS for a
# year, http redirected to https. The demo runs on plain http://127.0.0.1 without it.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    # The proxy terminates TLS and says so in this header (README: production).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers the load balancer over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy everywhere (the browser tests fail on any violation): no inline
# scripts or styles, nothing from other origins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Bad input never becomes a 500: oversize bodies are refused with 400 by Django itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file fields; files stream to disk
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Background work (reminders): the database queue, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Rejection e-mails of a bulk rejection leave this long after it, so that it can be undone.
REJECTION_EMAIL_DELAY_SECONDS = int(os.environ.get("REJECTION_EMAIL_DELAY_SECONDS", "300"))

# Matching runs with more students than this are solved by the background worker.
MATCHING_BACKGROUND_FROM = int(os.environ.get("MATCHING_BACKGROUND_FROM", "20000"))

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

AUDITLOG_INCLUDE_ALL_MODELS = False

# Membership's unique constraint treats NULL scopes as equal; PostgreSQL enforces it, SQLite
# cannot; model validation (admin forms) still checks it there.
SILENCED_SYSTEM_CHECKS = [
    "models.W047",
    # django-axes asks for locking by address too. Not here: a municipality's offices reach
    # Bryggan through one address, and one person's mistyped passwords would lock out the
    # whole office. Locking by account counts failures from every address and user agent
    # together (tests/core/test_two_factor.py), so rotating them does not help an attacker.
    "axes.W006",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
