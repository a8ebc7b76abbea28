"""Real headless Chromium (Debian's) against a live server on loopback, shared by the browser tests."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "simpul-e2e-password"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="chromium not installed: apt-get install chromium"
)


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def login(page, live_server, username: str, then: str = "/") -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{then}")


def wait_for_service_worker(page, timeout_ms: int = 30_000) -> None:
    """Until a service worker controls the page (wait_for_function would eval, which the CSP forbids)."""
    page.evaluate(
        """(ms) => navigator.serviceWorker.controller ? true : new Promise((resolve, reject) => {
            navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
            setTimeout(() => reject(new Error("no service worker took over in " + ms + " ms")), ms);
        })""",
        timeout_ms,
    )
