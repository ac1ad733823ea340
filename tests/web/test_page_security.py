"""Every page of every role: security headers, no inline script or style, deny by default."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from provider_portal.security import ALL_ROLES, CONTENT_SECURITY_POLICY, PUBLIC_ENDPOINTS
from tests.pages import PageParts

# A sample value for each kind of URL parameter, so that every page is visited: one that is
# not among these fails the sweep rather than being left out of it.
SAMPLE_ARGUMENTS = {
    "contract_id": 1,
    "provider_id": 1,
    "token_id": 1,
    "tender_id": 1,
    "lot_id": 1,
    "invoice_id": 1,
    "line_id": 1,
    "enrolment_id": 1,
    "scope_id": 1,
    "year": 2019,
    "month": "2019-01",
    "job_id": "aggregate-2019-01",
    # A tender's document (its versions by number) and a contract's document: the demo's first
    # (the re-tender's material, SÆR-2018-01's signed contract); a bid's file: none in the demo.
    "document_id": 1,
    "number": 1,
    "attachment_id": 1,
    # An outbox mail's file name (the admin's outbox): none such in the demo, so 404 there.
    "name": "20190124-000000-1.eml",
}
# Pages with only these parameters show the demo's first contract, provider or token: found.
FOUND_IN_THE_DEMO = {"contract_id", "provider_id", "token_id"}
# Pages that answer 409 when the sample record is past the state they change: the demo's first
# tender is no longer a draft.
STATE_BOUND = {"procurement.edit_tender"}


def _page_urls(app: Flask) -> list[tuple[str, str, bool]]:
    """(endpoint, URL, whether the demo has what it shows) of every page reached by GET,
    parameterised ones with the sample values."""
    from flask import url_for

    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        arguments = rule.arguments - set(rule.defaults or {})  # a default is the rule's own
        unknown = arguments - SAMPLE_ARGUMENTS.keys()
        assert not unknown, f"{rule.rule}: give {sorted(unknown)} a sample value"
        with app.test_request_context():
            url = url_for(rule.endpoint, **{n: SAMPLE_ARGUMENTS[n] for n in arguments})
        urls.append((rule.endpoint, url, arguments <= FOUND_IN_THE_DEMO))
    return urls


def _assert_security_headers(response, url: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    if csp == "sandbox":  # a stored file's download has its own, stricter policy
        assert response.headers["Content-Disposition"].startswith("attachment"), url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        return
    assert csp == CONTENT_SECURITY_POLICY, url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") in (
        "same-origin",
        "no-referrer",
        "strict-origin",
    ), url


def _assert_no_inline_code(html: str, url: str) -> None:
    parts = PageParts(html)
    assert parts.inline_scripts == 0, f"inline script on {url}"
    assert not parts.find_all("style"), f"<style> block on {url}"
    for tag, attrs in parts.tags:
        assert "style" not in attrs, f"style attribute on <{tag}> on {url}"
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"inline event handler {handlers} on <{tag}> on {url}"
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), f"script from elsewhere on {url}"
        if tag == "a":
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), url


def test_page_list_covers_every_role_home(demo_app):
    endpoints = {endpoint for endpoint, _url, _found in _page_urls(demo_app)}
    assert {
        "procurement.home",
        "provider.home",
        "finance.home",
        "admin.home",
        "auth.login",
    } <= endpoints
    assert "procurement.contract" in endpoints


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_has_security_headers_and_no_inline_code(demo_app, client_as, role):
    client = client_as(role)
    seen_ok = 0
    for endpoint, url, found in _page_urls(demo_app):
        view = demo_app.view_functions[endpoint]
        response = client.get(url)
        allowed = endpoint in PUBLIC_ENDPOINTS or role in getattr(view, "allowed_roles", ())
        # The demo's first contract is another provider's: a provider does not find it (404).
        found = found and not (role == "provider" and url.startswith("/provider/contracts/"))
        if endpoint in ("home.index", "auth.login_code"):
            # Home sends each role on; the second factor's code page exists only for a login
            # waiting for its code, and sends anyone else back.
            assert response.status_code == 302
        elif allowed and found:
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            seen_ok += 1
        elif allowed:
            # A sample id may be another provider's, or a document not made: not found, or on
            # its way (a PDF made on the queue), never refused and never an error.
            answers = (200, 302, 404, 409) if endpoint in STATE_BOUND else (200, 302, 404)
            assert response.status_code in answers, f"{role} {url}: {response.status_code}"
        else:
            assert response.status_code == 403, (
                f"{role} may not see {url}, got {response.status_code}"
            )
        _assert_security_headers(response, url)
        if response.mimetype == "text/html":
            _assert_no_inline_code(response.get_data(as_text=True), url)
    assert seen_ok >= 2  # the login page and the role's home at least


def test_anonymous_pages_have_headers_and_no_inline_code(demo_app):
    client = demo_app.test_client()
    for url in ("/login", "/does-not-exist"):
        response = client.get(url)
        _assert_security_headers(response, url)
        _assert_no_inline_code(response.get_data(as_text=True), url)


def test_every_view_names_its_roles(app):
    """Deny by default: a view without @allow would be refused to everyone; none may lack it."""
    for endpoint, view in app.view_functions.items():
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        roles = getattr(view, "allowed_roles", None)
        assert roles, f"{endpoint} has no @allow(...)"
        assert set(roles) <= set(ALL_ROLES)


def test_every_protected_endpoint_needs_a_login(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = re.sub(
            r"<any\(([^)]*)\):\w+>", lambda m: m.group(1).split(",")[0].strip(" '\""), rule.rule
        )
        url = re.sub(
            r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(SAMPLE_ARGUMENTS.get(m.group(1), 1)), url
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.rule.startswith("/api/"):
                assert response.status_code == 401, f"{method} {url}"
                assert response.is_json
            elif method == "GET":
                assert response.status_code == 302, f"{method} {url}"
                assert response.headers["Location"].startswith("/login"), f"{method} {url}"
            else:
                # A form post without a session is refused before anything runs: every form
                # is checked for its CSRF token before the login, and without a session there
                # is no token.
                assert response.status_code == 400, f"{method} {url}"


def test_session_cookie_is_httponly_and_samesite(demo_app):
    from contracts.services.demo import DEMO_PASSWORD
    from tests.conftest import login

    client = demo_app.test_client()
    response = login(client, "indkob@demo.dk", DEMO_PASSWORD)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set at login"
    assert "HttpOnly" in cookies[-1]
    assert re.search(r"SameSite=(Lax|Strict)", cookies[-1])
