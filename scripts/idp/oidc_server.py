"""A real OpenID Connect provider on loopback, for Bryggan's tests and demo.

django-oidc-provider (a well-kept OP) in its own process with its own SQLite database, so the
tests exercise the whole protocol — discovery, the authorisation code flow, the token
endpoint, signed ID tokens, the JWKS — against a server Bryggan does not control.

    python scripts/idp/oidc_server.py PORT STATE_DIR

STATE_DIR/people.json says who can sign in and what the provider asserts about them; it is
read on every sign-in, so a test changes someone's groups by rewriting it::

    {"clients": [{"client_id": "bryggan", "client_secret": "s3cret",
                  "redirect_uris": ["http://testserver/sso/malmo/callback/"]}],
     "people": {"anna@example.se": {"password": "pw", "name": "Anna Ek",
                                    "groups": ["Bryggan-Samordnare"], "mfa": true}}}

A person may also carry test misbehaviour the provider then shows in their ID token:
``"audience": "other"`` (issued for another client), ``"expired": true`` (expired an hour
ago), ``"tamper": true`` (the token's claims changed after signing, so the signature fails).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HERE = Path(__file__).resolve().parent


def _state() -> Path:
    # Read from the environment: Django imports this file again as scripts.idp.oidc_server
    # for the hook, a module apart from the __main__ that was started.
    return Path(os.environ["BRYGGAN_TEST_IDP_STATE"])


def _people() -> dict:
    return json.loads((_state() / "people.json").read_text(encoding="utf-8"))


def claims(id_token: dict, user=None, token=None, request=None, **kwargs) -> dict:
    """OIDC_IDTOKEN_PROCESSING_HOOK: what the provider asserts about the person."""
    person = _people()["people"].get(user.username, {})
    id_token["email"] = user.username
    id_token["name"] = person.get("name", "")
    id_token["groups"] = list(person.get("groups", []))
    id_token["amr"] = ["pwd", "mfa"] if person.get("mfa") else ["pwd"]
    if person.get("audience"):
        id_token["aud"] = person["audience"]
    if person.get("expired"):
        now = int(time.time())
        id_token["iat"], id_token["exp"] = now - 7200, now - 3600
    return id_token


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def tampering(app):
    """Change the claims of a signed ID token for people marked ``tamper`` (the signature
    then no longer matches), as an attacker between provider and Bryggan would."""

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO", "").rstrip("/") != "/token":
            return app(environ, start_response)
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, capture))
        try:
            answer = json.loads(body)
            header, payload, signature = answer["id_token"].split(".")
            claims_ = json.loads(_unb64(payload))
            if _people()["people"].get(claims_.get("email"), {}).get("tamper"):
                claims_["groups"] = ["Bryggan-Administratorer", *claims_.get("groups", [])]
                payload = _b64(json.dumps(claims_).encode())
                answer["id_token"] = f"{header}.{payload}.{signature}"
                body = json.dumps(answer).encode()
        except (ValueError, KeyError):
            pass
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]

    return wrapped


def _configure(port: int) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="loopback-test-provider-not-a-secret",  # noqa: S106 - a test provider only
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="scripts.idp.oidc_urls",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oidc_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(_state() / "op.sqlite3"),
            }
        },
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(HERE / "templates")],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                    ]
                },
            }
        ],
        LOGIN_URL="/login/",
        SITE_URL=f"http://127.0.0.1:{port}",
        SESSION_COOKIE_NAME="test_idp_session",
        OIDC_IDTOKEN_PROCESSING_HOOK="scripts.idp.oidc_server.claims",
        OIDC_SKIP_CONSENT_EXPIRE=0,
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGGING={
            "version": 1,
            "handlers": {"stderr": {"class": "logging.StreamHandler"}},
            "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
        },
    )
    django.setup()


def _load_state() -> None:
    from django.core.management import call_command
    from oidc_provider.models import RSAKey

    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        call_command("creatersakey")
    _load_people()


_loaded = {"mtime": 0.0}
_lock = threading.Lock()


def reloading(app):
    """Take in people and clients added to people.json while running (a browser test adds
    its live server's callback address)."""

    def wrapped(environ, start_response):
        mtime = (_state() / "people.json").stat().st_mtime
        if mtime != _loaded["mtime"]:
            with _lock:
                if mtime != _loaded["mtime"]:
                    _load_people()
                    _loaded["mtime"] = mtime
        return app(environ, start_response)

    return wrapped


def _load_people() -> None:
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType

    state = _people()
    for email, person in state["people"].items():
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
        if not user.check_password(person["password"]):  # a new password ends their sessions
            user.set_password(person["password"])
            user.save()
    code = ResponseType.objects.get(value="code")
    for spec in state["clients"]:
        client, _ = Client.objects.update_or_create(
            client_id=spec["client_id"],
            defaults={
                "name": spec["client_id"],
                "client_type": "confidential",
                "client_secret": spec["client_secret"],
                "require_consent": False,
                "reuse_consent": True,
                "_redirect_uris": "\n".join(spec["redirect_uris"]),
                "_post_logout_redirect_uris": "\n".join(spec.get("post_logout_redirect_uris", [])),
                "jwt_alg": "RS256",
            },
        )
        client.response_types.set([code])


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> None:
    port = int(sys.argv[1])
    os.environ["BRYGGAN_TEST_IDP_STATE"] = str(Path(sys.argv[2]).resolve())
    sys.path.insert(0, str(HERE.parents[1]))
    _configure(port)
    _load_state()
    from django.core.wsgi import get_wsgi_application

    app = reloading(tampering(get_wsgi_application()))
    server = make_server("127.0.0.1", port, app, _Threaded, _Quiet)
    print(f"ready on http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
