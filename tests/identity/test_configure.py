"""The command that configures a municipality's single sign-on: what it stores, and bad
input refused with a clear message and nothing written."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from bryggan.identity.models import GroupMapping, IdentityProvider

pytestmark = pytest.mark.django_db

ARGS = [
    "--municipality=sodertalje",
    "--slug=sodertalje",
    "--name=Södertälje kommuns inloggning",
    "--issuer=https://login.microsoftonline.com/tenant/v2.0",
    "--client-id=app-id",
    "--map=Bryggan-Samordnare=coordinator",
    "--map=Bryggan-Handledare=supervisor",
]


def test_it_stores_the_provider_and_its_mappings_and_replaces_them_when_run_again(
    world, monkeypatch
):
    monkeypatch.setenv("BRYGGAN_SSO_CLIENT_SECRET", "hemligt")
    call_command("sso_configure", *ARGS, "--require-for-staff", "--break-glass=hr@sodertalje.test")
    provider = IdentityProvider.unscoped.get(slug="sodertalje")
    assert provider.municipality == world.home.municipality
    assert provider.client_secret == "hemligt" and provider.required_for_staff
    assert provider.break_glass.email == "hr@sodertalje.test"
    assert set(GroupMapping.unscoped.values_list("group", "role")) == {
        ("Bryggan-Samordnare", "coordinator"),
        ("Bryggan-Handledare", "supervisor"),
    }
    monkeypatch.delenv("BRYGGAN_SSO_CLIENT_SECRET")
    call_command("sso_configure", *ARGS[:5], "--map=Alla=mentor")
    provider.refresh_from_db()
    assert provider.client_secret == "hemligt"  # kept when not given again
    assert not provider.required_for_staff
    assert list(GroupMapping.unscoped.values_list("group", "role")) == [("Alla", "mentor")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({0: "--municipality=ingenstans"}, "no municipality"),
        ({3: "--issuer=inte en adress"}, "is not an address"),
        ({5: "--map=Bryggan-Samordnare=kung"}, "GROUP=ROLE with a role among"),
        ({5: "--map=national_analyst"}, "GROUP=ROLE"),
        ({5: "--map=Grupp=national_analyst"}, "GROUP=ROLE"),
        ({6: "--break-glass=coordinator@norrkoping.test"}, "no user"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, monkeypatch, change, message):
    monkeypatch.setenv("BRYGGAN_SSO_CLIENT_SECRET", "hemligt")
    args = [change.get(i, a) for i, a in enumerate(ARGS)]
    with pytest.raises(CommandError, match=message):
        call_command("sso_configure", *args)
    assert not IdentityProvider.unscoped.exists()
    assert not GroupMapping.unscoped.exists()


def test_without_a_secret_or_mappings_or_with_anothers_short_name_it_refuses(world, monkeypatch):
    with pytest.raises(CommandError, match="BRYGGAN_SSO_CLIENT_SECRET"):
        call_command("sso_configure", *ARGS)
    monkeypatch.setenv("BRYGGAN_SSO_CLIENT_SECRET", "hemligt")
    with pytest.raises(CommandError, match="at least one --map"):
        call_command("sso_configure", *ARGS[:5])
    call_command("sso_configure", *ARGS)
    other = ["--municipality=norrkoping", *ARGS[1:]]
    with pytest.raises(CommandError, match="another municipality's"):
        call_command("sso_configure", *other)
    assert IdentityProvider.unscoped.get().municipality == world.home.municipality
