"""Signing in against guessing, without letting anyone lock the rightful owner out.

- **Per address** (``throttle.check_sign_in``): password spraying from one address is slowed
  after a few failures, whatever accounts they were for, and then blocked for the hour.
- **Per account** (django-axes): five failures lock the account for everyone for 15 minutes,
  so guessing from many addresses gets nowhere. The owner gets past the lock with an unlock
  link sent to their own e-mail: the link lets *that browser* try *that account* despite the
  lock, still with the password and the second factor.
- **Audit**: every lock-out, and every use of an unlock link, is in the audit trail of the
  account's municipality (the DPO's and coordinators' audit page) and in the admin's.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bryggan.core import throttle
from bryggan.core.client_address import client_address
from bryggan.core.forms_auth import UnlockRequestForm
from bryggan.core.models import User

UNLOCK_SALT = "bryggan.sign-in-unlock"
UNLOCK_MINUTES = 30
SESSION_KEY = "bryggan_unlocked"


# Other ways in (single sign-on) offered on the sign-in page, and rules that can refuse a
# correct password (a municipality whose staff must use single sign-on). Apps above core
# register them (identity/apps.py), so core needs to know nothing of them.
SignInOption = tuple[str, str]  # (label, address)
_sign_in_options: list[Callable[[], list[SignInOption]]] = []
_password_policies: list[Callable[[User, str], str | None]] = []


def register_sign_in_options(source: Callable[[], list[SignInOption]]) -> None:
    if source not in _sign_in_options:
        _sign_in_options.append(source)


def register_password_policy(policy: Callable[[User, str], str | None]) -> None:
    """``policy(user, address)`` returns why this user may not sign in with a password, or
    None. It is asked only after the password was right, so a refusal reveals nothing to
    someone who does not know it."""
    if policy not in _password_policies:
        _password_policies.append(policy)


_sign_out_steps: list[Callable[[HttpRequest], str | None]] = []


def register_sign_out(step: Callable[[HttpRequest], str | None]) -> None:
    """``step(request)``, asked before the session ends, may name where the browser goes
    next (the identity provider's own sign-out, which then sends it back to sign-in)."""
    if step not in _sign_out_steps:
        _sign_out_steps.append(step)


class LogoutView(auth_views.LogoutView):
    """Django's sign-out; then, for a session begun at an identity provider, that
    provider's sign-out too, where it offers one."""

    def post(self, request, *args, **kwargs):
        onward = next((url for step in _sign_out_steps if (url := step(request))), None)
        response = super().post(request, *args, **kwargs)
        if not onward:
            return response
        # A page that goes on at once, not a redirect: the Content-Security-Policy's
        # form-action (only this site) would stop the browser following a form's redirect
        # to the provider.
        return render(request, "core/signed_out.html", {"onward": onward})


class LoginView(auth_views.LoginView):
    """Django's sign-in, refusing an address that has failed too often (429, nothing read)."""

    def post(self, request, *args, **kwargs):
        try:
            throttle.check_sign_in(client_address(request))
        except throttle.Throttled as refused:
            from bryggan.core.views import too_many

            return too_many(request, refused, back=reverse("login"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        for policy in _password_policies:
            refusal = policy(user, client_address(self.request))
            if refusal:
                form.add_error(None, refusal)
                return self.form_invalid(form)
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_in_options"] = [o for source in _sign_in_options for o in source()]
        return context


def record_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """``user_login_failed``: count the failure against the address it came from."""
    if request is not None:
        throttle.record_sign_in_failure(client_address(request))


# --- the unlock link ---------------------------------------------------------------------


def _user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def _token(user: User) -> str:
    # The password hash is in it: a changed password (or a used reset) voids older links.
    return signing.dumps({"u": user.pk, "p": user.password[-12:]}, salt=UNLOCK_SALT, compress=True)


def _user_from_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_MINUTES * 60)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or user.password[-12:] != data.get("p"):
        return None
    return user


UNLOCK_SUBJECT = gettext_lazy("Unlock your sign-in to Bryggan")
UNLOCK_BODY = gettext_lazy(
    "Hello,\n\nSomeone (you, we hope) asked to unlock the sign-in to your Bryggan account "
    "after too many wrong passwords. Open this link in the browser you sign in with, within "
    "%(minutes)s minutes:\n%(link)s\n\nThen sign in with your password, and your code if "
    "you use one. If it was not you, someone may be guessing your password: you need do "
    "nothing, but tell your administrator.\n"
)


def send_unlock_link(email: str) -> None:
    user = _user_by_email(email)
    if user is None:
        return
    link = settings.SITE_URL + reverse("unlock", kwargs={"token": _token(user)})
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=str(UNLOCK_SUBJECT),
            body=str(UNLOCK_BODY) % {"minutes": UNLOCK_MINUTES, "link": link},
            to=[user.email],
        )
    transaction.on_commit(lambda: message.send(fail_silently=False))


@never_cache
@require_http_methods(["GET", "POST"])
def unlock_request(request: HttpRequest) -> HttpResponse:
    """Ask for an unlock link. The answer is the same whether or not the address has an
    account, and it is throttled like the applicants' "send my link again"."""
    form = UnlockRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        address = client_address(request)
        limits: list[throttle.Use] = [(throttle.LINK_RESEND_PER_ADDRESS, f"unlock|{address}", 1)]
        email = request.POST.get("email", "").strip().lower()[:254]
        if email:
            limits.append((throttle.LINK_RESEND_PER_EMAIL, f"unlock|{email}", 1))
        try:
            throttle.check_all(limits)
        except throttle.Throttled as refused:
            from bryggan.core.views import too_many

            return too_many(request, refused, back=reverse("login"))
        if form.is_valid():
            send_unlock_link(form.cleaned_data["email"])
            throttle.record_all(limits)
            return render(request, "core/unlock_request.html", {"sent": True})
    return render(
        request,
        "core/unlock_request.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
def unlock(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: this browser may now try this account despite the lock."""
    user = _user_from_token(token)
    if user is None:
        return render(request, "core/unlock_bad.html", status=404)
    request.session[SESSION_KEY] = {
        "email": user.email.lower(),
        "until": time.time() + UNLOCK_MINUTES * 60,
    }
    audit_sign_in(
        user, _("unlocked with the e-mailed link"), client_address(request), event="unlocked"
    )
    return redirect(reverse("login") + "?unlocked=1")


def whitelisted(request: HttpRequest, credentials: dict | None) -> bool:
    """django-axes asks this before applying an account's lock (AXES_WHITELIST_CALLABLE)."""
    session = getattr(request, "session", None)
    if session is None or not credentials:
        return False
    unlocked = session.get(SESSION_KEY) or {}
    username = str(credentials.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
    return bool(
        username
        and unlocked.get("email") == username
        and float(unlocked.get("until") or 0) > time.time()
    )


# --- the audit trail ---------------------------------------------------------------------


def audit_sign_in(
    user: User, what: str, address: str, *, event: str, municipality_id: int | None = None
) -> None:
    """One entry per municipality the account belongs to, so each one's audit page shows it
    (the admin's shows them all); only ``municipality_id``'s when it is given."""
    found: list[int | None] = sorted(
        set(user.memberships.values_list("municipality_id", flat=True)), key=lambda m: m or 0
    )
    municipalities = [municipality_id] if municipality_id else (found or [None])
    content_type = ContentType.objects.get_for_model(User)
    for municipality_id in municipalities:
        LogEntry.objects.create(
            content_type=content_type,
            object_pk=str(user.pk),
            object_id=user.pk,
            object_repr=user.email,
            action=LogEntry.Action.UPDATE,
            changes={str(_("sign-in")): ["", f"{what} ({address})"]},
            additional_data={"municipality_id": municipality_id, "event": event},
            remote_addr=address if address != "0.0.0.0" else None,  # noqa: S104
        )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes locked an account: into the audit trail, once per lock (axes says so again
    at every refused try while it lasts)."""
    user = _user_by_email(username or "")
    if user is None:
        return
    already = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk),
        additional_data__event="locked",
        timestamp__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()
    if already:
        return
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    what = _("locked for %(minutes)s minutes after %(failures)s failed attempts") % {
        "minutes": minutes,
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    audit_sign_in(user, what, ip_address or "", event="locked")
