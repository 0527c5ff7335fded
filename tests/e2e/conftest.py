"""Browser tests: Playwright for Python driving Debian's Chromium, with axe-core on every page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# The loopback OpenID Connect provider, for signing in through a municipality's provider
from tests.identity.conftest import oidc_server, provider, saml_provider, saml_server  # noqa: F401

CHROMIUM = os.environ.get("BRYGGAN_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


class AccessiblePage:
    """A Playwright page that runs axe-core on every page it lands on."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        self.axe = Axe()
        # The Content-Security-Policy must never block anything Bryggan itself sends.
        self.csp_violations: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str, *, strict: bool = False) -> None:
        self.page.goto(self.base_url + path)
        self.check(strict=strict)

    def check(self, *, strict: bool = False) -> None:
        """Fail on serious or critical violations; with ``strict``, on any violation at all
        (the public pages: a municipality's public face must have none)."""
        self.page.wait_for_load_state("networkidle")
        results = self.axe.run(self.page)
        blocking = [
            v
            for v in results.response["violations"]
            if strict or v.get("impact") in BLOCKING_IMPACTS
        ]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in blocking
        ]
        assert not blocking, f"axe on {self.page.url}:\n" + "\n".join(details)
        assert not self.csp_violations, "CSP blocked:\n" + "\n".join(self.csp_violations)
        self.checked.append(self.page.url)

    def screenshot(self, name: str) -> Path:
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def apage(browser, live_server):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield AccessiblePage(page, live_server.url)
    context.close()


def signed_in_page(browser, live_server, email: str) -> AccessiblePage:
    """A browser of its own (a person at their own PC), signed in as ``email``."""
    from tests.e2e.session import log_in

    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = AccessiblePage(context.new_page(), live_server.url)
    page.page.set_default_timeout(20_000)
    log_in(page, email)
    return page
