"""A logged-in person's walk through the portal: every page reachable by links from home (GET
only: a walk changes nothing), each kind of page (its path with the ids taken out) kept once.
Used by the fuzzing of pages (test_page_walk.py) and of their forms (test_form_posts.py)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

from contracts.services.demo import DEMO_PASSWORD
from tests.conftest import csrf_token

MOST_PAGES = 400


def logged_in(app, email: str):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post(
        "/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return client


def address_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(
    client, pages: dict[str, str] | None = None
) -> tuple[dict[str, str], dict[str, set[str]], list[str]]:
    """Each kind of page reached (one address of each), the query names each kind takes, and
    the addresses that answered 500 or more; each HTML page's text by its address in `pages`."""
    seen, queue, failed = set(), deque(["/"]), []
    kinds: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    while queue and len(seen) < MOST_PAGES:
        address = queue.popleft()
        if address in seen:
            continue
        seen.add(address)
        answer = client.get(address)
        if answer.status_code >= 500:
            failed.append(f"{answer.status_code} {address}")
        if answer.status_code in (301, 302, 303):
            queue.append(address_of(answer.headers["Location"]))
            continue
        kind = re.sub(r"\d+", "N", urlsplit(address).path)
        kinds.setdefault(kind, address)
        taken = names.setdefault(kind, set())
        taken.update(name for name, _ in parse_qsl(urlsplit(address).query))
        if answer.mimetype != "text/html":
            continue
        html = answer.get_data(as_text=True)
        if pages is not None:
            pages[address] = html
        for form in re.findall(r'<form[^>]*method="get"[^>]*>(.*?)</form>', html, re.S | re.I):
            taken.update(re.findall(r'name="([a-z_]+)"', form))
        for href in re.findall(r'href="([^"#]+)"', html):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith("/static/"):
                queue.append(href)
    return kinds, names, failed
