"""A burst of logins (nine o'clock, or someone guessing passwords) does not hold up the pages
of a threaded web process (issue 16): under deploy/gunicorn.conf.py with WEB_THREADS, a process
serves a page while the logins before it still wait for their argon2 hashing, which runs two at
a time at a lower CPU priority. (A synchronous process serves them in turn, the page last.)"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from contracts.services.accounts import create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token
from tests.faults.web import deployed_web

LOGINS = 6


def test_a_page_is_served_while_a_burst_of_logins_is_hashed(app, sqlite_url, clean_redis, tmp_path):
    with app.app_context():
        for number in range(LOGINS):
            create_user(
                db.session,
                TEST_ACTOR,
                f"indkob{number}@example.dk",
                "procurement",
                TEST_PASSWORD,
                None,
            )
        db.session.commit()
    # One web process, so the page and the logins meet in it.
    with deployed_web(sqlite_url, clean_redis, tmp_path, workers=1, WEB_THREADS="12") as (
        _web,
        address,
    ):
        ready = threading.Barrier(LOGINS + 1)

        def log_in(number: int) -> float:
            with requests.Session() as person:
                page = person.get(f"{address}/login", timeout=30)
                token = csrf_token(page.text)
                ready.wait()
                answer = person.post(
                    f"{address}/login",
                    data={
                        "email": f"indkob{number}@example.dk",
                        "password": TEST_PASSWORD,
                        "csrf_token": token,
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                assert answer.status_code == 302, answer.text[-2000:]
                return time.monotonic()

        with ThreadPoolExecutor(LOGINS) as pool:
            logins = [pool.submit(log_in, number) for number in range(LOGINS)]
            ready.wait()
            time.sleep(0.05)  # the logins are in
            page = requests.get(f"{address}/login", timeout=60)
            page_answered = time.monotonic()
            logged_in = sorted(login.result() for login in logins)
    assert page.status_code == 200 and "Log ind" in page.text
    # Six logins hashed two at a time take three turns; the page did not wait for them.
    assert page_answered < logged_in[2], (page_answered, logged_in)
