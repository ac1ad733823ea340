"""The SP's metadata, the login button, an installation without single sign-on, and logout."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml import etree
from saml2.response import IncorrectlySigned

from tests.conftest import csrf_token
from tests.saml.conftest import IDP_URL, log_in, start_login

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"


def test_metadata_names_the_portal_its_acs_and_both_certificates(saml_app):
    response = saml_app.test_client().get("/saml/metadata")
    assert response.status_code == 200
    root = etree.fromstring(response.get_data())
    assert root.get("entityID") == "http://localhost/saml/metadata"
    sp = root.find(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    (acs,) = sp.findall(f"{MD}AssertionConsumerService")
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert acs.get("Location") == "http://localhost/saml/acs"
    uses = {key.get("use") for key in sp.findall(f"{MD}KeyDescriptor")}
    assert uses == {"signing", "encryption"}


def test_the_authn_request_is_signed_and_asks_for_substantial_at_least(saml_app, idp):
    query = start_login(saml_app.test_client())
    authn_request = idp.read_request(query)  # the IdP checks the signature
    context = authn_request.requested_authn_context
    assert context.comparison == "minimum"
    assert [ref.text for ref in context.authn_context_class_ref] == [
        "https://data.gov.dk/concept/core/nsis/loa/Substantial"
    ]
    assert authn_request.assertion_consumer_service_url == "http://localhost/saml/acs"
    signature = query["Signature"]
    flipped = ("B" if signature[10] == "A" else "A").join((signature[:10], signature[11:]))
    with pytest.raises(IncorrectlySigned):
        idp.read_request({**query, "Signature": flipped})


def test_metadata_answers_without_an_identity_provider_and_login_says_so(app, client):
    app.config["SAML_SP_ENTITY_ID"] = "https://portal.example.dk/saml"
    metadata = client.get("/saml/metadata")
    assert metadata.status_code == 200
    assert b'entityID="https://portal.example.dk/saml"' in metadata.get_data()
    page = client.get("/saml/login")
    assert page.status_code == 200
    assert "Single sign-on er ikke sat op" in page.get_data(as_text=True)
    assert "MitID Erhverv" not in client.get("/login").get_data(as_text=True)


def test_login_page_offers_the_test_idp_when_set_up(saml_app):
    saml_app.config["SAML_TEST_IDP"] = True
    page = saml_app.test_client().get("/login").get_data(as_text=True)
    assert "Log ind med MitID Erhverv (test)" in page


def test_logout_ends_the_session_here_and_at_the_identity_provider(saml_app, idp, people):
    client = saml_app.test_client()
    log_in(client, idp, people["coordinator"])
    home = client.get("/provider/").get_data(as_text=True)
    assert 'action="/saml/logout"' in home  # the header's log-out button
    page = client.post("/saml/logout", data={"csrf_token": csrf_token(home)})
    assert page.status_code == 200
    assert client.get("/provider/").status_code == 302  # logged out here already
    onward = unescape(re.search(r'url=([^"]+)"', page.get_data(as_text=True)).group(1))
    assert onward.startswith(f"{IDP_URL}/slo?")
    query = dict(parse_qsl(urlsplit(onward).query))
    assert "Signature" in query
    back = urlsplit(idp.logout_answer(query))  # the IdP reads the signed LogoutRequest
    assert back.path == "/saml/logout"
    done = client.get(f"{back.path}?{back.query}")
    assert done.status_code == 200
    assert "Du er logget ud" in done.get_data(as_text=True)


def test_password_login_logs_out_as_before(saml_app, make_user):
    from provider_portal.extensions import db
    from tests.conftest import login

    with saml_app.app_context():
        make_user(db.session, "okonomi@kk.dk", "finance")
        db.session.commit()
    client = saml_app.test_client()
    login(client, "okonomi@kk.dk")
    assert 'action="/logout"' in client.get("/finance/").get_data(as_text=True)


def test_identity_provider_ends_the_session_here_and_is_answered(saml_app, idp, people):
    client = saml_app.test_client()
    log_in(client, idp, people["coordinator"])
    asked = urlsplit(idp.logout_request("http://localhost/saml/metadata", people["coordinator"]))
    assert asked.path == "/saml/logout"
    answer = client.get(f"{asked.path}?{asked.query}")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(f"{IDP_URL}/slo?SAMLResponse=")
    assert client.get("/provider/").status_code == 302


def test_a_logout_request_for_someone_else_leaves_the_session(saml_app, idp, people):
    client = saml_app.test_client()
    log_in(client, idp, people["coordinator"])
    asked = urlsplit(idp.logout_request("http://localhost/saml/metadata", people["staff"]))
    assert client.get(f"{asked.path}?{asked.query}").status_code == 302
    assert client.get("/provider/").status_code == 200


def test_an_unsigned_or_forged_logout_request_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    log_in(client, idp, people["coordinator"])
    asked = urlsplit(idp.logout_request("http://localhost/saml/metadata", people["coordinator"]))
    query = dict(parse_qsl(asked.query))
    unsigned = {k: v for k, v in query.items() if k not in ("Signature", "SigAlg")}
    assert client.get("/saml/logout", query_string=unsigned).status_code == 400
    forged = {**query, "Signature": query["Signature"][::-1]}
    assert client.get("/saml/logout", query_string=forged).status_code == 400
    assert client.get("/provider/").status_code == 200
