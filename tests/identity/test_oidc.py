"""Single sign-on through a real OpenID Connect provider on loopback (conftest.py): accounts
and roles from its groups, its second factor, and every bad answer refused with nothing
created."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from bryggan.core.models import Membership, User
from bryggan.core.roles import Role
from bryggan.identity.models import ExternalAccount
from tests.identity.conftest import SLUG, through_provider

DEFAULT_PASSWORD = "secret-pass-123"  # tests/factories.py UserFactory

pytestmark = pytest.mark.django_db


def _roles(email: str) -> set[tuple[str, int | None]]:
    return set(Membership.objects.filter(user__email=email).values_list("role", "municipality_id"))


def _trail(municipality, event: str) -> list[str]:
    return [
        str(entry.changes)
        for entry in LogEntry.objects.filter(
            additional_data__municipality_id=municipality.pk, additional_data__event=event
        )
    ]


def test_the_first_sign_in_creates_the_account_with_the_roles_of_its_groups(provider, world):
    client = Client()
    response, _back = through_provider(client, "samordnare@kommun.test")
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="samordnare@kommun.test")
    assert _roles(user.email) == {(Role.COORDINATOR, world.home.municipality.pk)}
    assert not user.has_usable_password()
    assert ExternalAccount.unscoped.get(user=user).provider == provider
    # The provider asserted two factors (amr "mfa"): no Bryggan code asked, the page opens.
    home = client.get("/")
    assert home.status_code == 200
    assert "Samordnare" in home.content.decode() or user.email in home.content.decode()
    assert any(
        "roller tillagda: Traineesamordnare" in t for t in _trail(world.home.municipality, "sso")
    )


def test_groups_bryggan_does_not_know_give_nothing_and_known_ones_their_role(provider, world):
    response, _back = through_provider(Client(), "handledare@kommun.test")
    assert response.status_code == 302
    assert _roles("handledare@kommun.test") == {(Role.SUPERVISOR, world.home.municipality.pk)}


def test_a_change_of_groups_changes_the_roles_at_the_next_sign_in(provider, oidc_server, world):
    through_provider(Client(), "byter@kommun.test")
    assert _roles("byter@kommun.test") == {(Role.SUPERVISOR, world.home.municipality.pk)}
    oidc_server.set_groups("byter@kommun.test", ["Bryggan-Samordnare"])
    try:
        response, _back = through_provider(Client(), "byter@kommun.test")
    finally:
        oidc_server.set_groups("byter@kommun.test", ["Bryggan-Handledare"])
    assert response.status_code == 302
    assert _roles("byter@kommun.test") == {(Role.COORDINATOR, world.home.municipality.pk)}
    trail = _trail(world.home.municipality, "sso")
    assert any(
        "roller tillagda: Traineesamordnare" in t and "roller borttagna: Handledare" in t
        for t in trail
    )


def test_removed_from_the_groups_the_person_is_refused_and_the_account_disabled(
    provider, oidc_server, world
):
    earlier = Client()
    through_provider(earlier, "slutar@kommun.test")
    assert earlier.get("/").status_code == 200
    oidc_server.set_groups("slutar@kommun.test", ["Alla-anstallda"])
    try:
        response, _back = through_provider(Client(), "slutar@kommun.test")
    finally:
        oidc_server.set_groups("slutar@kommun.test", ["Bryggan-Handledare"])
    assert response.status_code == 403
    assert "ger dig ingen roll i Bryggan" in response.content.decode()
    user = User.objects.get(email="slutar@kommun.test")
    assert not user.is_active
    assert _roles(user.email) == set()
    # The session they still had ends with the account.
    assert earlier.get("/")["Location"].startswith("/login/")
    trail = _trail(world.home.municipality, "sso-removed")
    assert any("kontot inaktiverat" in t and "roller borttagna: Handledare" in t for t in trail)


def test_someone_in_no_mapped_group_is_refused_and_nothing_is_created(provider):
    response, _back = through_provider(Client(), "utanfor@kommun.test")
    assert response.status_code == 403
    assert "ger dig ingen roll i Bryggan" in response.content.decode()
    assert not User.objects.filter(email="utanfor@kommun.test").exists()


def test_without_the_providers_second_factor_a_coordinator_still_gives_bryggans_code(
    provider, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    response, _back = through_provider(client, "utanmfa@kommun.test")
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/account/two-factor/")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("fel-mottagare@kommun.test", "kunde inte verifieras"),  # ID token for another client
        ("gammal@kommun.test", "kunde inte verifieras"),  # expired an hour ago
        ("andrad@kommun.test", "kunde inte verifieras"),  # claims changed after signing
    ],
)
def test_a_bad_id_token_is_refused_and_nothing_is_created(provider, email, message):
    client = Client()
    response, _back = through_provider(client, email)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert not ExternalAccount.unscoped.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_answer_is_refused(provider):
    client = Client()
    first, back = through_provider(client, "upprepad@kommun.test")
    assert first.status_code == 302
    again = Client().get(back)
    assert again.status_code == 400
    assert "redan använt eller har gått ut" in again.content.decode()
    assert client.get(back).status_code == 400


def test_an_unknown_municipality_is_refused_with_a_clear_message(provider):
    for path in ("/sso/ingen-sadan/", "/sso/ingen-sadan/callback/?code=x&state=y"):
        response = Client().get(path)
        assert response.status_code == 404
        assert "Ingen kommun loggar in på den här adressen" in response.content.decode()
    assert not User.objects.filter(email__endswith="@kommun.test").exists()


def test_an_account_of_another_municipality_is_not_taken_over(provider, world):
    from tests import factories as f

    other = f.UserFactory(email="dubbel@kommun.test")
    f.MembershipFactory(user=other, municipality=world.foreign.municipality, role=Role.MENTOR)
    response, _back = through_provider(Client(), "dubbel@kommun.test")
    assert response.status_code == 403
    assert "hör till någon annanstans" in response.content.decode()
    assert _roles("dubbel@kommun.test") == {(Role.MENTOR, world.foreign.municipality.pk)}
    assert not ExternalAccount.unscoped.exists()


def test_the_sign_in_page_offers_the_provider(provider):
    page = Client().get("/login/").content.decode()
    assert f'href="/sso/{SLUG}/"' in page
    assert "Testkommunens inloggning" in page


def test_a_municipality_that_requires_single_sign_on_refuses_its_staffs_passwords(provider, world):
    provider.required_for_staff = True
    provider.break_glass = world.home.users[Role.HR]
    provider.save()
    coordinator = world.home.users[Role.COORDINATOR]
    refused = Client().post(
        "/login/", {"username": coordinator.email, "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 200
    assert "loggar in via Testkommunens inloggning" in refused.content.decode()
    # A wrong password is told nothing about single sign-on.
    wrong = Client().post("/login/", {"username": coordinator.email, "password": "fel"})
    assert "Testkommunens" not in wrong.content.decode().split("sso-heading")[0]
    # The break-glass administrator gets in, and it is in the trail.
    glass = world.home.users[Role.HR]
    assert (
        Client()
        .post("/login/", {"username": glass.email, "password": DEFAULT_PASSWORD})
        .status_code
        == 302
    )
    assert _trail(world.home.municipality, "break-glass")
    # Students keep their password, and the other municipality's staff too.
    student = world.home.users[Role.STUDENT]
    assert (
        Client()
        .post("/login/", {"username": student.email, "password": DEFAULT_PASSWORD})
        .status_code
        == 302
    )
    foreign = world.foreign.users[Role.COORDINATOR]
    assert (
        Client()
        .post("/login/", {"username": foreign.email, "password": DEFAULT_PASSWORD})
        .status_code
        == 302
    )


def test_an_unreachable_provider_and_junk_answers_get_a_clear_message(provider):
    provider.issuer = "http://127.0.0.1:9/"  # nothing listens there
    provider.save()
    response = Client().get(f"/sso/{SLUG}/")
    assert response.status_code == 502
    assert "gick inte att nå" in response.content.decode()
    for query, message in (
        ("", "redan använt eller har gått ut"),
        ("?code=x&state=y", "redan använt eller har gått ut"),
        ("?error=access_denied&error_description=Nekad", "loggade inte in dig (Nekad)"),
        ("?error=%3Cscript%3E", "loggade inte in dig (&lt;script&gt;)"),
    ):
        response = Client().get(f"/sso/{SLUG}/callback/{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query
    assert not User.objects.filter(email__endswith="@kommun.test").exists()


def test_signing_out_ends_the_providers_session_too(provider, oidc_server):
    import html
    import re

    import requests

    browser = requests.Session()
    client = Client()
    through_provider(client, "loggarut@kommun.test", browser=browser)
    out = client.post("/logout/")
    # A page that goes on to the provider at once (a redirect after a form would be stopped
    # by the Content-Security-Policy's form-action)
    assert out.status_code == 200
    onward = re.search(r'content="0;url=([^"]+)"', out.content.decode()).group(1)
    onward = html.unescape(onward)
    assert onward.startswith(f"{oidc_server.url}/end-session?id_token_hint=")
    assert f'href="{html.escape(onward)}"' in out.content.decode()
    assert client.get("/")["Location"].startswith("/login/")  # Bryggan's session is over
    back = browser.get(onward, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/login/"
    # The provider's session is over too: it asks for the password again.
    start = Client().get(f"/sso/{SLUG}/")
    again = browser.get(start["Location"], allow_redirects=False, timeout=10)
    assert again.status_code == 302 and "/login/" in again.headers["Location"]


def test_a_password_sign_out_stays_in_bryggan(world):
    client = world.home.client(Role.SUPERVISOR)
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"].startswith("/")


def _check_due(client) -> None:
    """As if SSO_RECHECK_MINUTES had passed since the sign-in."""
    session = client.session
    session["bryggan_sso"]["checked"] -= 3600
    session.save()


def test_a_running_session_is_checked_again_and_a_removed_person_loses_access(
    provider, oidc_server, world
):
    import requests

    browser = requests.Session()
    client = Client()
    through_provider(client, "slutar-snart@kommun.test", browser=browser)
    assert client.get("/org/unit/").status_code == 200
    # Still in the groups: the check goes to the provider and straight back to the page.
    _check_due(client)
    step = client.get("/org/unit/")
    assert step.status_code == 302 and step["Location"] == f"/sso/{SLUG}/?quiet=1"
    out = client.get(step["Location"])
    assert "prompt=none" in out["Location"]
    answer = browser.get(out["Location"], allow_redirects=False, timeout=10)
    back = client.get(answer.headers["Location"].removeprefix("http://testserver"))
    assert back.status_code == 302 and back["Location"] == "/org/unit/"
    assert client.get("/").status_code == 200  # no check again until the next interval
    # Removed from the groups at the provider: at the next check, out, roles gone, disabled.
    oidc_server.set_groups("slutar-snart@kommun.test", ["Alla-anstallda"])
    _check_due(client)
    step = client.get("/")
    out = client.get(step["Location"])
    answer = browser.get(out["Location"], allow_redirects=False, timeout=10)
    refused = client.get(answer.headers["Location"].removeprefix("http://testserver"))
    assert refused.status_code == 403
    assert "ger dig ingen roll i Bryggan" in refused.content.decode()
    assert not User.objects.get(email="slutar-snart@kommun.test").is_active
    assert client.get("/")["Location"].startswith("/login/")


def test_a_check_without_a_session_at_the_provider_asks_to_sign_in_there(provider):
    import requests

    client = Client()
    through_provider(client, "byter@kommun.test", browser=requests.Session())
    _check_due(client)
    out = client.get(client.get("/")["Location"])
    fresh = requests.Session()  # the provider's session has gone (another browser, say)
    answer = fresh.get(out["Location"], allow_redirects=False, timeout=10)
    again = client.get(answer.headers["Location"].removeprefix("http://testserver"))
    assert again.status_code == 302 and again["Location"] == f"/sso/{SLUG}/"


def test_the_same_first_sign_in_twice_at_once_is_a_message_not_an_error(provider, monkeypatch):
    from bryggan.identity import services
    from bryggan.identity.protocol import Assertion

    assertion = Assertion(
        subject="s-1",
        email="tva@kommun.test",
        name="Två",
        groups=("Bryggan-Handledare",),
        factors=(),
    )
    services.sign_in(provider, assertion, address="127.0.0.1")
    # The other request had looked before this one saved: it finds no account and makes one.
    monkeypatch.setattr(
        services.ExternalAccount.objects,
        "select_for_update",
        lambda: ExternalAccount.objects.none(),
    )
    monkeypatch.setattr(services.User.objects, "filter", lambda **kw: User.objects.none())
    with pytest.raises(services.SignInRefused, match="samma ögonblick"):
        services.sign_in(provider, assertion, address="127.0.0.1")
    assert ExternalAccount.unscoped.count() == 1
