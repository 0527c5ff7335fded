"""A real SAML 2.0 identity provider on loopback, for Bryggan's tests and demo.

pysaml2's IdP (``saml2.server.Server``: parses AuthnRequests, builds and signs assertions)
behind a small WSGI front: a sign-in form, and the HTTP-POST binding back to the service
provider. Keys and a self-signed certificate are made at start.

    python scripts/idp/saml_server.py PORT STATE_DIR [HOST]

STATE_DIR/people.json is the same file the OIDC provider reads (``people``: password, name,
groups, mfa, and the misbehaviour ``audience``, ``expired``, ``tamper``); it is read at
every sign-in. The metadata is at http://HOST:PORT/metadata.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import shutil
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_NO_PASSIVE, LogoutResponse
from saml2.server import Server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from bryggan.identity.keys import self_signed

MFA = "http://schemas.microsoft.com/claims/multipleauthn"
PASSWORD_ONLY = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"  # noqa: S105


def _keys(state: Path) -> tuple[str, str]:
    key_file, cert_file = state / "idp.key", state / "idp.crt"
    self_signed(key_file, cert_file, "Bryggan test IdP", days=365)
    return str(key_file), str(cert_file)


def _config(base: str, state: Path, lifetime_minutes: int) -> IdPConfig:
    key_file, cert_file = _keys(state)
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/metadata",
            "service": {
                "idp": {
                    "name": "Bryggan test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{base}/slo/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_BASIC,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "key_file": key_file,
            "cert_file": cert_file,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {},
        }
    )
    return config


class Provider:
    def __init__(self, base: str, state: Path):
        self.base, self.state = base, state
        self.server = Server(config=_config(base, state, 15))
        # Signs assertions that ran out an hour ago, for people marked "expired"
        self.stale = Server(config=_config(base, state, -60))
        self.pending: dict[str, dict] = {}

    def people(self) -> dict:
        return json.loads((self.state / "people.json").read_text(encoding="utf-8"))["people"]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/metadata":
                body = create_metadata_string(None, config=self.server.config).decode()
                return _answer(start_response, body, "application/samlmetadata+xml")
            if path == "/sso/redirect":
                return self.authn_request(environ, start_response)
            if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
                return self.sign_in(environ, start_response)
            if path == "/slo/redirect":
                return self.sign_out(environ, start_response)
        except Exception as error:
            return _answer(
                start_response,
                f"<p>refused: {html.escape(str(error))}</p>",
                status="400 Bad Request",
            )
        return _answer(start_response, "not found", status="404 Not Found")

    def authn_request(self, environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        parsed = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = parsed.message
        relay = query.get("RelayState", [""])[0]
        if message.is_passive == "true":
            # This provider keeps no session, so it cannot sign anyone in without asking.
            response = self.server.create_error_response(
                message.id,
                message.assertion_consumer_service_url,
                (STATUS_NO_PASSIVE, "no session here"),
            )
            return self._post_back(start_response, str(response), message, relay)
        key = secrets.token_urlsafe(16)
        self.pending[key] = {
            "id": message.id,
            "acs": message.assertion_consumer_service_url,
            "sp": message.issuer.text,
            "relay": relay,
        }
        return _answer(start_response, _LOGIN.format(key=key, error=""))

    def _post_back(self, start_response, xml: str, message, relay: str):
        encoded = base64.b64encode(xml.encode()).decode()
        return _answer(
            start_response,
            _POST.format(
                acs=html.escape(message.assertion_consumer_service_url),
                response=encoded,
                relay=html.escape(relay),
            ),
        )

    def sign_in(self, environ, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode())
        key, email = form["key"][0], form.get("username", [""])[0]
        person = self.people().get(email)
        if person is None or person.get("password") != form.get("password", [""])[0]:
            return _answer(start_response, _LOGIN.format(key=key, error=_WRONG))
        request = self.pending.pop(key)
        server = self.stale if person.get("expired") else self.server
        response = server.create_authn_response(
            identity={
                "email": [email],
                "name": [person.get("name", "")],
                "groups": list(person.get("groups", [])),
            },
            in_response_to=request["id"],
            destination=request["acs"],
            sp_entity_id=person.get("audience") or request["sp"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"id-{email}"),
            authn={"class_ref": MFA if person.get("mfa") else PASSWORD_ONLY},
            sign_assertion=True,
            sign_response=False,
        )
        xml = str(response)
        if person.get("tamper"):  # a group added after signing: the signature no longer holds
            xml = xml.replace(">Alla-anstallda<", ">Bryggan-Samordnare<")
        encoded = base64.b64encode(xml.encode()).decode()
        return _answer(
            start_response,
            _POST.format(
                acs=html.escape(request["acs"]),
                response=encoded,
                relay=html.escape(request["relay"]),
            ),
        )

    def sign_out(self, environ, start_response):
        """Single logout: this provider keeps no session of its own (it asks for the password
        at every sign-in), so it answers at once that the person is signed out, signed, by
        the HTTP-Redirect binding, at the service's logout address. A test provider that
        knows no service's metadata finds that address beside the service's entity id
        (Bryggan's are /sso/<slug>/metadata/ and /sso/<slug>/sls/)."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        request = self.server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        back = message.issuer.text.replace("/metadata/", "/sls/")
        response = self.server._status_response(
            LogoutResponse,
            self.server._issuer(),
            None,
            sign=False,
            destination=back,
            in_response_to=message.id,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            back,
            relay_state=query.get("RelayState", [""])[0],
            response=True,
            sign=True,
        )
        location = dict(info["headers"])["Location"]
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]


_WRONG = '<p role="alert">Wrong e-mail or password.</p>'
_LOGIN = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test SAML identity provider - sign in</title></head><body><main>
<h1>Test SAML identity provider</h1>{error}
<form method="post" action="/sso/login"><input type="hidden" name="key" value="{key}">
<label for="username">E-mail</label><input id="username" name="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form></main></body></html>"""
_POST = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Back to the service</title></head><body><main>
<form id="saml" method="post" action="{acs}">
<input type="hidden" name="SAMLResponse" value="{response}">
<input type="hidden" name="RelayState" value="{relay}">
<button type="submit">Continue</button></form>
<script>document.getElementById("saml").submit()</script></main></body></html>"""


def _answer(start_response, body: str, content_type: str = "text/html", status: str = "200 OK"):
    data = body.encode()
    start_response(
        status,
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> None:
    port, state = int(sys.argv[1]), Path(sys.argv[2]).resolve()
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    app = Provider(f"http://{host}:{port}", state)
    server = make_server("127.0.0.1", port, app, _Threaded, _Quiet)
    print(f"ready on http://{host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
