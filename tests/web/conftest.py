"""Web-page fixtures: the demo data in a fresh database, and clients logged in per role."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from contracts.services.demo import DEMO_PASSWORD, DEMO_USERS
from tests.conftest import login

DEMO_EMAILS = {role: email for email, role in DEMO_USERS}


@pytest.fixture
def demo_app(app):
    """The app with the seed's history as of 24 January 2019 loaded and committed."""
    from contracts.services.demo import load_demo
    from provider_portal.extensions import db

    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    return app


@pytest.fixture
def client_as(demo_app) -> Callable:
    """A test client logged in as the demo user of a role, through the real login form."""

    def make(role: str):
        client = demo_app.test_client()
        response = login(client, DEMO_EMAILS[role], DEMO_PASSWORD)
        assert response.status_code == 302, f"demo {role} user could not log in"
        return client

    return make


class PageParts(HTMLParser):
    """What a page is made of, as a browser would read it: tags, attributes and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self._open: list[str] = []
        self.inline_scripts = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] == "script" and data.strip():
            self.inline_scripts += 1
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find_all(self, tag: str, **attrs) -> list[dict]:
        """Attributes of every `tag` whose attributes include `attrs` (class_ matches a class)."""
        found = []
        for name, have in self.tags:
            if name != tag:
                continue
            wanted_class = attrs.get("class_")
            if wanted_class and wanted_class not in (have.get("class") or "").split():
                continue
            if all(have.get(k) == v for k, v in attrs.items() if k != "class_"):
                found.append(have)
        return found
