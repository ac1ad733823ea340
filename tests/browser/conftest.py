"""A live portal for the browser suite: the real app on a free port, with the demo data loaded.

The browser is Debian's chromium, driven by Playwright; `playwright install` is never run.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from contracts.models import Enrolment, Participant, Provider
from provider_portal import create_app
from tests.backing_services import free_port
from tests.conftest import app_config
from tests.factories import make_contract
from tests.scenarios import SAMPLE_REFS

SAMPLE_REFERENCE = "SÆR-2018-PRØVE"

# Playwright waits for what a step needs (a heading, a label's text), never for a fixed time;
# these bound the wait. On a machine busy with other work a page can take longer than
# Playwright's 5 s default, and a wait that ends as soon as the page is there costs nothing more.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Launch Debian's chromium rather than a browser Playwright would download."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make system-deps`).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _patient_page(request) -> None:
    """Actions (a click, a fill) wait as long as the expectations do."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: the tests use the live server's. (Replaces pytest-playwright's fallback
    fixture, a method fixture that pytest 9 warns about, and warnings are errors here.)"""
    return


def demo_app(sqlite_template: Path, redis_server: str, folder: Path) -> Flask:
    """The app on a copy of the migrated template database with the demo loaded (24 January 2019).

    Login throttling is kept in memory, so that no server shares counters with other tests.
    """
    from contracts.services.demo import load_demo
    from provider_portal.extensions import db

    path = folder / "portal.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        app_config(f"sqlite:///{path}", redis_server, folder, RATELIMIT_STORAGE_URI="memory://")
    )
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    return app


@contextmanager
def serving(app: Flask, name: str) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 in a thread; yields its URL, then stops it."""
    from provider_portal.extensions import db

    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(sqlite_template, redis_server, tmp_path_factory) -> Iterator[str]:
    """The portal serving the demo data (as of 24 January 2019) on 127.0.0.1; yields its URL."""
    with serving(
        demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("live")), "live-portal"
    ) as url:
        yield url


def add_sample_contract(
    session, reference: str = SAMPLE_REFERENCE, also: tuple[tuple[str, date], ...] = ()
) -> int:
    """An adult-employment contract of the demo provider with the sample files' seven
    participants (`tests/data/samples/README.md`), enrolled since 1 October 2018, and those
    `also` given (reference, start)."""
    provider = session.scalar(sa.select(Provider).where(Provider.name == "Nyt Fodfæste A/S"))
    contract = make_contract(session, provider.id, reference)
    starts = [(ref, date(2018, 10, 1)) for ref in SAMPLE_REFS] + list(also)
    for n, (ref, start_on) in enumerate(starts):
        participant = Participant(ref=ref, pseudonym=f"sample{n:058d}")
        session.add(participant)
        session.flush()
        session.add(
            Enrolment(
                participant_id=participant.id,
                contract_id=contract.id,
                start_on=start_on,
                age_at_start=35,
            )
        )
    session.flush()
    return contract.id
