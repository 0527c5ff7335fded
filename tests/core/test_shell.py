"""The frame around every page: a favicon the browser finds, and the demo's start-up summary
that names the address and the logins that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from bryggan.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_names_a_favicon_that_exists(client):
    body = client.get("/login/").content.decode()
    href = re.search(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">', body)
    assert href, "no favicon link in the page head"
    path = finders.find(href.group(1))
    assert path and Path(path).read_text().startswith("<svg")


def test_make_demo_ends_with_the_address_and_logins_that_exist():
    serve = (ROOT / "scripts" / "serve.sh").read_text()
    summary = serve[serve.index("<<'SUMMARY'") : serve.rindex("SUMMARY")]
    assert "http://127.0.0.1:8000/" in summary and "bryggan-demo" in summary
    roles = {role.value for role in Role}
    seed = (ROOT / "src" / "bryggan" / "demo" / "seed.py").read_text()
    from bryggan.demo import idp

    # The people of the demo's identity provider (first.role@norrkoping.demo) exist there.
    for person in re.findall(r"([a-z]+\.[a-z]+)@", summary):
        assert any(email.startswith(f"{person}@") for email in idp.PEOPLE), person
    for login in re.findall(r"(?<![.a-z])([a-z_]+)@(?:sodertalje\.demo)?", summary):
        if login == "admin":  # the site administrator, who reads the demo's outbox
            assert "admin@bryggan.demo" in summary and '"admin@bryggan.demo"' in seed
            continue
        assert login in roles, login
    assert "make demo-code" in summary
