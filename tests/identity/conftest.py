"""A real OpenID Connect provider (django-oidc-provider) on loopback, started once per test
process, and a helper that signs in at it as a browser would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SLUG = "testkommun"
CALLBACK = f"http://testserver/sso/{SLUG}/callback/"

# Everyone the provider knows; each test uses its own people, so tests can run in any order.
PEOPLE = {
    "samordnare@kommun.test": {"groups": ["Bryggan-Samordnare"], "mfa": True},
    "handledare@kommun.test": {"groups": ["Bryggan-Handledare", "Alla-anstallda"]},
    "byter@kommun.test": {"groups": ["Bryggan-Handledare"]},
    "slutar@kommun.test": {"groups": ["Bryggan-Handledare"]},
    "utanfor@kommun.test": {"groups": ["Alla-anstallda"]},
    "utanmfa@kommun.test": {"groups": ["Bryggan-Samordnare"]},
    "fel-mottagare@kommun.test": {"groups": ["Bryggan-Samordnare"], "audience": "someone-else"},
    "gammal@kommun.test": {"groups": ["Bryggan-Samordnare"], "expired": True},
    "andrad@kommun.test": {"groups": ["Alla-anstallda"], "tamper": True},
    "upprepad@kommun.test": {"groups": ["Bryggan-Handledare"]},
    "dubbel@kommun.test": {"groups": ["Bryggan-Samordnare"]},
    "loggarut@kommun.test": {"groups": ["Bryggan-Handledare"]},
    "slutar-snart@kommun.test": {"groups": ["Bryggan-Handledare"]},
}
PASSWORD = "provider-pw-123"


@dataclass
class LoopbackProvider:
    url: str
    state: Path
    people: dict

    def set_groups(self, email: str, groups: list[str]) -> None:
        self.people["people"][email]["groups"] = groups
        self._write()

    def allow_site(self, base: str) -> None:
        """Let a Bryggan at ``base`` (a browser test's live server) sign in and out here."""
        client = self.people["clients"][0]
        for key, url in (
            ("redirect_uris", f"{base}/sso/{SLUG}/callback/"),
            ("post_logout_redirect_uris", f"{base}/login/"),
        ):
            if url not in client.setdefault(key, []):
                client[key].append(url)
        self._write()

    def _write(self) -> None:
        (self.state / "people.json").write_text(json.dumps(self.people), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(port: int, state: Path, script: str = "oidc_server.py", *extra: str):
    """A provider of scripts/idp/ on ``port`` with ``state`` (people.json), once it answers."""
    probe = "/metadata" if script == "saml_server.py" else "/.well-known/openid-configuration"
    log = (state / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts/idp" / script), str(port), str(state), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}{probe}", timeout=2)
            return process, log
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(
        f"the loopback provider {script} did not start: "
        + (state / "provider.log").read_text(errors="replace")[-2000:]
    )


def _serve(port: int, state: Path, people: dict, script: str):
    """Write the people, start the provider, hand it to the tests, stop it after."""
    provider = LoopbackProvider(url=f"http://127.0.0.1:{port}", state=state, people=people)
    provider._write()
    process, log = start_provider(port, state, script)
    yield provider
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _people_state() -> dict:
    return {
        email: {"password": PASSWORD, "name": email.split("@")[0].title(), **facts}
        for email, facts in PEOPLE.items()
    }


@pytest.fixture(scope="session")
def oidc_server(tmp_path_factory):
    state = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    people = {
        "clients": [
            {
                "client_id": "bryggan",
                "client_secret": "klient-hemlighet",
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": ["http://testserver/login/"],
            }
        ],
        "people": _people_state(),
    }
    yield from _serve(port, state, people, "oidc_server.py")


def _map_groups(idp) -> None:
    from bryggan.core.roles import Role
    from bryggan.identity.models import GroupMapping

    for group, role in (
        ("Bryggan-Samordnare", Role.COORDINATOR),
        ("Bryggan-Handledare", Role.SUPERVISOR),
    ):
        GroupMapping.unscoped.create(
            municipality=idp.municipality, provider=idp, group=group, role=role
        )


@pytest.fixture
def provider(oidc_server, world):
    """The home municipality signs in through the loopback provider."""
    from bryggan.identity.models import IdentityProvider

    municipality = world.home.municipality
    idp = IdentityProvider.unscoped.create(
        municipality=municipality,
        name="Testkommunens inloggning",
        slug=SLUG,
        issuer=oidc_server.url,
        client_id="bryggan",
        client_secret="klient-hemlighet",
    )
    _map_groups(idp)
    return idp


def through_provider(
    client, email: str, *, password: str = PASSWORD, slug: str = SLUG, browser=None
):
    """Start at Bryggan, sign in at the provider as a browser would, and return the answer
    Bryggan's callback gives (and the callback address, to try it again)."""
    start = client.get(f"/sso/{slug}/")
    assert start.status_code == 302, start.content
    browser = browser or requests.Session()
    at = start["Location"]
    for _ in range(6):
        answer = browser.get(at, allow_redirects=False, timeout=10)
        if answer.status_code != 302:
            break
        at = urljoin(at, answer.headers["Location"])
        if at.startswith("http://testserver/"):
            break
    if not at.startswith("http://testserver/"):
        # The provider's sign-in form
        assert answer.status_code == 200, answer.text
        next_url = urlsplit(at).query.split("next=", 1)[-1]
        from urllib.parse import unquote

        posted = browser.post(
            at,
            data={
                "username": email,
                "password": password,
                "next": unquote(next_url),
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Referer": at},
            allow_redirects=False,
            timeout=10,
        )
        assert posted.status_code == 302, posted.text[:500]
        at = urljoin(at, posted.headers["Location"])
        for _ in range(6):
            if at.startswith("http://testserver/"):
                break
            answer = browser.get(at, allow_redirects=False, timeout=10)
            assert answer.status_code == 302, answer.text[:500]
            at = urljoin(at, answer.headers["Location"])
    back = at.removeprefix("http://testserver")
    return client.get(back), back


SAML_SLUG = "testkommun-saml"


@pytest.fixture(scope="session")
def saml_server(tmp_path_factory):
    """pysaml2's identity provider on loopback (scripts/idp/saml_server.py)."""
    state = tmp_path_factory.mktemp("saml-provider")
    port = free_port()
    yield from _serve(port, state, {"people": _people_state()}, "saml_server.py")


@pytest.fixture
def saml_provider(saml_server, world):
    """The home municipality signs in through the loopback SAML identity provider."""
    from bryggan.identity.models import IdentityProvider

    municipality = world.home.municipality
    idp = IdentityProvider.unscoped.create(
        municipality=municipality,
        name="Testkommunens SAML-inloggning",
        slug=SAML_SLUG,
        protocol=IdentityProvider.Protocol.SAML,
        issuer=f"{saml_server.url}/metadata",
        saml_metadata=requests.get(f"{saml_server.url}/metadata", timeout=10).text,
    )
    _map_groups(idp)
    return idp


def through_saml(client, email: str, *, password: str = PASSWORD, slug: str = SAML_SLUG):
    """Start at Bryggan, sign in at the SAML provider as a browser would, and post its answer
    to Bryggan; returns Bryggan's answer and what was posted (to post it again)."""
    import re
    from html import unescape

    start = client.get(f"/sso/{slug}/")
    assert start.status_code == 302, start.content
    browser = requests.Session()
    form = browser.get(start["Location"], timeout=10)
    assert form.status_code == 200, form.text[:500]
    key = re.search(r'name="key" value="([^"]+)"', form.text).group(1)
    base = start["Location"].split("/sso/")[0]
    answer = browser.post(
        f"{base}/sso/login",
        data={"key": key, "username": email, "password": password},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text[:500]
    action = unescape(re.search(r'action="([^"]+)"', answer.text).group(1))
    posted = {
        name: unescape(value)
        for name, value in re.findall(
            r'name="(SAMLResponse|RelayState)" value="([^"]*)"', answer.text
        )
    }
    path = action.removeprefix("http://testserver")
    return client.post(path, posted), path, posted
