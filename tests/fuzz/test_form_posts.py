"""Every form a person can post, with an odd value in one field at a time: never a server error.

The page walk (test_page_walk.py) asks pages for odd query values; this posts their forms.
Each role of the demo walks the portal, keeps every POST form found (one of each action and
set of fields, the action's ids taken out), and sends each one again and again with one field
set to an odd value and the others as the page drew them: far too long, a NUL, past any
database's integer, a number no one writes, markup. Each answer must be below 500. Posting
changes the demo (a form may well succeed), so each role has a demo of its own; forms that end
the session or change the person's password or second factor are left out, as is the
language switch, which is not stored. `make test` tries the values that found server errors
first (FUZZ_EXAMPLES default 8: the first two); `make fuzz` tries them all.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from tests.fuzz.conftest import DEMO_ROLES, demo_portal
from tests.fuzz.walk import logged_in, walk

ODD_VALUES = [
    "9" * 5000,
    "99999999999999999999",
    "\x00",
    "-1",
    "1e999",
    "Infinity",
    "",
    "２０１９-01",
    "0000-01",
    "31-02-2019",
    "<b>x</b>",
    "' OR 1=1 --",
    "x",
]
TRIED = ODD_VALUES if int(os.environ.get("FUZZ_EXAMPLES", "8")) > 8 else ODD_VALUES[:2]
# Forms that would end the walk's own session, or lock its person out with wrong passwords.
LEFT_OUT = re.compile(r"/(login|reauth|logout|language|password|two-factor|sessions)")
KEPT_AS_DRAWN = {"csrf_token"}


@pytest.fixture
def portal(postgres_server, postgres_template, redis_server, tmp_path):
    with demo_portal(postgres_server, postgres_template, redis_server, tmp_path) as (app, _):
        yield app


def _post_forms(pages: dict[str, str]) -> dict[tuple, tuple[str, list, list[str]]]:
    """One of each POST form: by its action's kind and field names, (action, the values a
    browser would send, the names a person fills in)."""
    found: dict[tuple, tuple[str, list, list[str]]] = {}
    for address, html in pages.items():
        if "<form" not in html:
            continue
        for form in lxml.html.document_fromstring(html).forms:
            if (form.method or "GET").upper() != "POST":
                continue
            action = urlsplit(urljoin(address, form.get("action") or address))
            if LEFT_OUT.search(action.path):
                continue
            values = list(form.form_values())
            names = sorted({i.name for i in form.inputs if i.name} - KEPT_AS_DRAWN)
            key = (re.sub(r"\d+", "N", action.path), tuple(names))
            path = action.path + (f"?{action.query}" if action.query else "")
            found.setdefault(key, (path, values, names))
    return found


@pytest.mark.postgres
@pytest.mark.parametrize("role", DEMO_ROLES)
def test_no_form_answers_a_server_error_to_an_odd_value(portal, role):
    client = logged_in(portal, DEMO_ROLES[role])
    pages: dict[str, str] = {}
    _, _, failed = walk(client, pages)
    forms = _post_forms(pages)
    assert len(forms) > 3, sorted(forms)  # the walk found forms to post
    for path, values, names in forms.values():
        for name in names:
            for value in TRIED:
                sent = [(n, v) for n, v in values if n != name] + [(name, value)]
                answer = client.post(path, data=MultiDict(sent))
                if answer.status_code >= 500:
                    failed.append(f"{answer.status_code} POST {path} {name}={value[:30]!r}")
                home = client.get("/")
                if home.status_code == 302 and "/login" in home.location:
                    client = logged_in(portal, DEMO_ROLES[role])  # a form ended the session
    assert failed == [], "\n".join(failed[:40])
