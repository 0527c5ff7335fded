import pytest
from django.test import Client

from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def test_pages_are_swedish_by_default_whatever_the_browser_says(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.get("/org/unit/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Enheter" in body and "Ny enhet" in body


def test_the_language_switch_changes_to_english_and_back(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/org/unit/"})
    assert response.status_code == 302
    body = client.get("/org/unit/").content.decode()
    assert '<html lang="en">' in body
    assert "Units" in body and "New unit" in body
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert "Enheter" in client.get("/org/unit/").content.decode()


def test_form_errors_are_translated(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.post("/org/department/new/", {})
    assert "Detta fält måste fyllas i." in response.content.decode()


def test_the_login_page_is_swedish_for_anonymous_visitors():
    body = Client().get("/login/").content.decode()
    assert "Logga in i Bryggan" in body


def _catalogue() -> list[tuple[str, str, list[str]]]:
    """(msgid, flags, msgstrs) of every live entry of the Swedish catalogue."""
    import re
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "src/bryggan/locale/sv/LC_MESSAGES/django.po"
    out = []
    for entry in po.read_text().split("\n\n")[1:]:
        if entry.lstrip().startswith("#~"):
            continue
        found = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if not found:
            continue
        msgid = "".join(re.findall(r'"(.*)"', found.group(1)))
        flags = " ".join(line for line in entry.splitlines() if line.startswith("#,"))
        strs = [
            "".join(re.findall(r'"(.*)"', s))
            for s in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M)
        ]
        out.append((msgid, flags, strs))
    return out


def test_the_swedish_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _catalogue()
    assert len(entries) > 500
    assert [m for m, flags, _s in entries if "fuzzy" in flags] == []
    assert [m for m, _f, strs in entries if not all(strs)] == []


def test_the_compiled_catalogue_matches_the_source():
    """The .mo Django reads is compiled from the .po as committed (make messages)."""
    import gettext
    from pathlib import Path

    mo = Path(__file__).resolve().parents[2] / "src/bryggan/locale/sv/LC_MESSAGES/django.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        m
        for m, _f, strs in _catalogue()
        if "\\" not in m and len(strs) == 1 and compiled.gettext(m) != strs[0].replace('\\"', '"')
    ]
    assert stale == []


def test_every_model_names_itself_so_the_swedish_ui_has_no_english_names():
    """The DPO's inventory and the admin show models by their verbose names: each is set and
    translated, never Django's English default ("application wishs")."""
    from django.apps import apps
    from django.utils import translation

    unnamed = []
    with translation.override("sv"):
        for model in apps.get_models():
            if not model.__module__.startswith("bryggan."):
                continue
            given = model._meta.original_attrs
            if "verbose_name" not in given or "verbose_name_plural" not in given:
                unnamed.append(model._meta.label)
    assert unnamed == []
