"""A live portal for the browser suite: the real app on a free port, with the demo data loaded.

The browser is Debian's chromium, driven by Playwright; `playwright install` is never run.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from provider_portal import create_app
from tests.conftest import app_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Launch Debian's chromium rather than a browser Playwright would download."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make system-deps`).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: the tests use the live server's. (Replaces pytest-playwright's fallback
    fixture, a method fixture that pytest 9 warns about, and warnings are errors here.)"""
    return


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(sqlite_template, redis_server, tmp_path_factory) -> Iterator[str]:
    """The portal serving the demo data (as of 24 January 2019) on 127.0.0.1; yields its URL."""
    from contracts.services.demo import load_demo
    from provider_portal.extensions import db

    folder = tmp_path_factory.mktemp("live")
    path = folder / "portal.db"
    shutil.copyfile(sqlite_template, path)
    # Login throttling is kept in memory here so this server shares no counters with other tests.
    app = create_app(app_config(f"sqlite:///{path}", redis_server, folder, RATELIMIT_STORAGE_URI="memory://"))
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-portal", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
