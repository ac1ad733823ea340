"""Every page a person can reach, with odd values in its query string: never a server error.

Schemathesis covers the API from its document; pages have none. So each role of the demo logs
in and follows every link from its home page (GET only: a walk changes nothing), then each kind
of page found (its path with the ids taken out) is asked again with each query value it takes
(the links' and its GET forms' names, and those the pages read) set to an odd one: empty, text,
a negative, a number past any database's integer, months of year 0000 and 9999, line breaks,
non-ASCII digits. Each answer must be below 500. `make test` tries the values that found
server errors before (FUZZ_EXAMPLES default 8); `make fuzz` tries them all.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.fuzz.conftest import DEMO_ROLES, demo_portal
from tests.fuzz.walk import logged_in, walk

# What found a server error before (a month of year 0000 or 9999, a page past a 64-bit
# integer) first, then the rest; a NUL, found here later, is kept by web/test_nul_characters.py.
ODD_VALUES = [
    "0000-01",
    "9999-12",
    "99999999999999999999",
    "-1",
    "x",
    "",
    "0",
    "2019-13",
    "\r\nSet-Cookie: x=1",
    "Infinity",
    "1e999",
    "２０１９-01",
    "a" * 3000,
    "\x00",
    "' OR 1=1 --",
]
TRIED = ODD_VALUES if int(os.environ.get("FUZZ_EXAMPLES", "8")) > 8 else ODD_VALUES[:4]
# The query values pages read (request.args), tried on every kind of page.
READ_BY_PAGES = ("page", "month", "from", "to", "next", "view", "status", "q", "contract_id")


@pytest.fixture(scope="module")
def portal(postgres_server, postgres_template, redis_server, tmp_path_factory):
    instance = tmp_path_factory.mktemp("walk-instance")
    with demo_portal(postgres_server, postgres_template, redis_server, instance) as (app, _):
        yield app


@pytest.mark.postgres
@pytest.mark.parametrize("role", DEMO_ROLES)
def test_no_page_answers_a_server_error_to_odd_query_values(portal, role):
    client = logged_in(portal, DEMO_ROLES[role])
    kinds, names, failed = walk(client)
    assert len(kinds) > 5, kinds  # the walk went somewhere
    for kind, address in kinds.items():
        parts = urlsplit(address)
        given = parse_qsl(parts.query, keep_blank_values=True)
        for name in sorted(names[kind] | set(READ_BY_PAGES)):
            for value in TRIED:
                query = urlencode([(n, v) for n, v in given if n != name] + [(name, value)])
                answer = client.get(f"{parts.path}?{query}")
                if answer.status_code >= 500:
                    failed.append(f"{answer.status_code} {parts.path}?{query[:120]}")
    assert failed == [], failed[:20]
