"""Single sign-on against a real identity provider: pysaml2's IdP with keys of its own.

The portal is configured with the test IdP's metadata, and the test IdP with the portal's
(fetched from /saml/metadata); the portal's AuthnRequest is read (signature checked) by the
IdP, whose signed (and encrypted) answer is posted to /saml/acs as the browser would.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask

from contracts.services.audit import Actor
from provider_portal import create_app
from provider_portal.saml.test_idp import Person, TestIdP
from tests.conftest import app_config

IDP_URL = "http://idp.test"
PROVIDER_CVR = "40850309"
MUNICIPALITY_CVR = "64942212"
ACTOR = Actor("test")


@pytest.fixture(scope="session")
def key_dirs(tmp_path_factory):
    """The IdP's and the portal's keys, made once per test run (RSA keys take a while)."""
    folder = tmp_path_factory.mktemp("saml-keys")
    return folder / "idp", folder / "sp"


@pytest.fixture
def idp(key_dirs) -> TestIdP:
    return TestIdP(IDP_URL, key_dirs[0])


@pytest.fixture
def saml_app(request, clean_redis, tmp_path, idp, key_dirs) -> Iterator[Flask]:
    """The portal, set up for single sign-on with the test IdP, which trusts it in turn.

    On SQLite, or on PostgreSQL for a test parametrised with `saml_app=["postgresql"]`
    (indirect)."""
    database = getattr(request, "param", "sqlite")
    url = request.getfixturevalue("postgres_url" if database == "postgresql" else "sqlite_url")
    metadata = tmp_path / "idp-metadata.xml"
    metadata.write_text(idp.metadata_xml(), encoding="utf-8")
    app = create_app(
        app_config(
            url,
            clean_redis,
            tmp_path,
            SAML_IDP_METADATA=str(metadata),
            SAML_SP_KEY_DIR=str(key_dirs[1]),
            MUNICIPALITY_CVR=MUNICIPALITY_CVR,
        )
    )
    sp_metadata = app.test_client().get("/saml/metadata")
    assert sp_metadata.status_code == 200
    idp.trust(sp_metadata.get_data(as_text=True))
    yield app
    from provider_portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def people(saml_app, make_provider, make_user):
    """A registered provider (with its coordinator granted by e-mail), a staff member, and the
    persons the IdP may vouch for."""
    from provider_portal.extensions import db

    with saml_app.app_context():
        provider = make_provider(db.session, "Nyt Fodfæste A/S", PROVIDER_CVR)
        make_user(db.session, "koordinator@fodfaeste.dk", "provider", provider.id)
        make_user(db.session, "indkob@kk.dk", "procurement")
        db.session.commit()
    return {
        "coordinator": Person(
            "uuid-coordinator", "Jonas Holm", "koordinator@fodfaeste.dk", PROVIDER_CVR
        ),
        "colleague": Person("uuid-colleague", "Ida Ny", "ida@fodfaeste.dk", PROVIDER_CVR),
        "stranger": Person("uuid-stranger", "Per Fremmed", "per@andet.dk", "30160916"),
        "staff": Person("uuid-staff", "Mette Kjærgaard", "indkob@kk.dk", MUNICIPALITY_CVR, "High"),
    }


def start_login(client, next_path: str | None = None):
    """Click "log in with MitID Erhverv": the AuthnRequest the IdP receives, read by the IdP."""
    response = client.get("/saml/login", query_string={"next": next_path} if next_path else {})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == IDP_URL
    query = dict(parse_qsl(location.query))
    assert query["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    return query


def post_answer(client, acs: str, saml_response: str):
    """The browser posting the IdP's answer to the portal's assertion consumer service."""
    return client.post(urlsplit(acs).path, data={"SAMLResponse": saml_response})


def log_in(client, idp: TestIdP, person: Person, **answer):
    authn_request = idp.read_request(start_login(client))
    acs, saml_response = idp.answer(authn_request, person, **answer)
    return post_answer(client, acs, saml_response)
