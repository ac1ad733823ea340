"""Watching a journey in the browser: what the developer console would show, screenshots for
looking at the pages, and the login through the form that each journey starts with."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, expect

from contracts.services.demo import DEMO_PASSWORD


class ConsoleWatch:
    """Collects what a person would see in the developer console: errors and CSP refusals."""

    def __init__(self, page: Page):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.problems.append(f"{response.status} {response.url}")
            ),
        )

    def _request_failed(self, request) -> None:
        # A request cut short because the page moved on (a click that navigates while the
        # icon still loads) is the browser's own doing, not a failure of the portal.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")


def screenshot(page: Page, name: str) -> None:
    """The page, saved for looking at while developing (only when asked for):
    BROWSER_SCREENSHOTS=/tmp/shots pytest tests/browser"""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page: Page, live_server: str, email: str) -> None:
    """Log in as a demo user through the login form, as a person does."""
    page.goto(f"{live_server}/login")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()


AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def assert_accessible(page: Page, name: str) -> None:
    """axe-core finds no violation on the page as it stands (evaluated by the browser's
    debugging protocol, so the page's content security policy is left as it is); the page is
    saved as screenshot `name` when screenshots are asked for."""
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: {violations}"
    screenshot(page, name)
