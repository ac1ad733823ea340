"""Isolation holds when one web process serves many people at once (issue 16): with WEB_THREADS
the deployment's web processes are threaded (deploy/gunicorn.conf.py), and two providers' coordinators whose
requests are served side by side by the threads of one process each see their own contract and
participants only, on every answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from contracts.services.accounts import create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token
from tests.faults.web import deployed_web
from tests.scenarios import other_provider_scenario, sample_scenario

ROUNDS = 25
# What each provider's home page names of its own, and what the other's must never show.
OWN = {"a@example.dk": ("SÆR-2018-03", "Nyt Fodfæste"), "b@example.dk": ("SÆR-OTHER", "Anden Lev")}


def _logged_in(address: str, email: str) -> requests.Session:
    person = requests.Session()
    token = csrf_token(person.get(f"{address}/login", timeout=30).text)
    answer = person.post(
        f"{address}/login",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.text[-2000:]
    return person


def test_two_providers_served_side_by_side_by_one_process_see_only_their_own(
    app, sqlite_url, clean_redis, tmp_path
):
    with app.app_context():
        ours, theirs = sample_scenario(db.session), other_provider_scenario(db.session)
        for email, provider_id in (
            ("a@example.dk", ours.provider_id),
            ("b@example.dk", theirs.provider_id),
        ):
            create_user(db.session, TEST_ACTOR, email, "provider", TEST_PASSWORD, provider_id)
        db.session.commit()
    with deployed_web(
        sqlite_url,
        clean_redis,
        tmp_path,
        workers=1,
        WEB_THREADS="12",
        TWO_FACTOR_ROLES="",
        PORTAL_TODAY="2019-01-24",
    ) as (_web, address):
        people = {email: _logged_in(address, email) for email in OWN}

        def look(turn: int) -> tuple[str, str]:
            email = list(OWN)[turn % 2]
            page = people[email].get(f"{address}/provider/", timeout=60)
            assert page.status_code == 200
            return email, page.text

        with ThreadPoolExecutor(8) as pool:
            seen = list(pool.map(look, range(2 * ROUNDS)))
    assert len(seen) == 2 * ROUNDS
    for email, text in seen:
        other = next(e for e in OWN if e != email)
        assert all(word in text for word in OWN[email]), email
        assert not any(word in text for word in OWN[other]), (email, "saw", other)
