"""Single sign-on in chromium: the demo's test identity provider, as `make run` starts it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from provider_portal.saml.test_idp import TestIdP, demo_people, web_app
from tests.backing_services import free_port
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso_portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[str]:
    """The demo portal and the test IdP, each trusting the other; yields the portal's URL."""
    folder = tmp_path_factory.mktemp("sso")
    app = demo_app(sqlite_template, redis_server, folder)
    with serving(app, "sso-portal") as portal:
        port = free_port()
        idp = TestIdP(f"http://127.0.0.1:{port}", folder / "idp-keys")
        (folder / "idp.xml").write_text(idp.metadata_xml(), encoding="utf-8")
        app.config.update(SAML_IDP_METADATA=str(folder / "idp.xml"), SAML_TEST_IDP=True)
        people = demo_people(app.config["MUNICIPALITY_CVR"])
        idp_app = web_app(idp, f"{portal}/saml/metadata", people)
        with serving_on(idp_app, port):
            yield portal


@contextmanager
def serving_on(app, port: int) -> Iterator[None]:
    """The test IdP's app on the port its metadata names, in a thread."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-idp", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _pick(page: Page, portal: str, who: str) -> None:
    page.goto(f"{portal}/login")
    page.get_by_role("link", name="Log ind med MitID Erhverv (test)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test-IdP: vælg en demoperson")
    page.get_by_role("button", name=who).click()


def test_coordinator_logs_in_with_mitid_erhverv_and_out_again(page: Page, sso_portal: str):
    watch = ConsoleWatch(page)
    _pick(
        page,
        sso_portal,
        "Jonas Holm · leverandor@demo.dk · CVR 40850309 · sikringsniveau Substantial",
    )
    expect(page).to_have_url(f"{sso_portal}/provider/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeres aftaler og indberetninger")
    expect(page.locator("header")).to_contain_text("Nyt Fodfæste A/S")

    page.get_by_role("button", name="Log ud").click()
    # Logged out here, then at the identity provider, which sends the browser back.
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ud")
    assert "/saml/logout?SAMLResponse=" in page.url
    page.goto(f"{sso_portal}/provider/")
    expect(page).to_have_url(f"{sso_portal}/login?next=%2Fprovider%2F")
    assert watch.problems == []


def test_a_colleague_nobody_granted_is_told_whom_to_ask(page: Page, sso_portal: str):
    _pick(page, sso_portal, "Ida Ny")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du blev ikke logget ind")
    expect(page.locator("main")).to_contain_text("Bed din organisations administrator")
    expect(page.locator("main")).to_contain_text("Nyt Fodfæste A/S")
    assert_accessible(page, "sso-refused")
