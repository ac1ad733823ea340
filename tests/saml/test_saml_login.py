"""Logging in by SAML: who gets in, and every way a response is refused."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, SamlAssertion, User
from provider_portal.extensions import db
from provider_portal.saml.test_idp import Person, TestIdP
from tests.saml.conftest import IDP_URL, log_in, post_answer, start_login

BOTH_DATABASES = pytest.mark.parametrize(
    "saml_app", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


@BOTH_DATABASES
def test_granted_person_logs_in_and_the_uuid_is_bound(saml_app, idp, people):
    client = saml_app.test_client()
    response = log_in(client, idp, people["coordinator"])
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.request.path == "/provider/"
    assert "koordinator@fodfaeste.dk" in home.get_data(as_text=True)
    with saml_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "koordinator@fodfaeste.dk"))
        assert user.saml_uuid == "uuid-coordinator"
    (event,) = _events(saml_app, "login.sso")
    assert event.details["uuid"] == "uuid-coordinator" and event.details["cvr"] == "40850309"


def test_a_bound_person_is_known_by_uuid_even_with_a_new_email(saml_app, idp, people):
    log_in(saml_app.test_client(), idp, people["coordinator"])
    renamed = Person("uuid-coordinator", "Jonas Holm", "jonas@nyt-domaene.dk", "40850309")
    client = saml_app.test_client()
    assert log_in(client, idp, renamed).status_code == 302
    assert client.get("/provider/").status_code == 200


def test_staff_log_in_with_the_municipality_cvr(saml_app, idp, people):
    client = saml_app.test_client()
    assert log_in(client, idp, people["staff"]).status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/procurement/"


def test_staff_of_the_municipality_s_own_idp_may_come_without_a_cvr(saml_app, idp, people):
    staff = Person("uuid-staff", "Mette Kjærgaard", "indkob@kk.dk", None, "High")
    # Not from an identity provider named as the municipality's: no organisation, refused.
    _refused(log_in(saml_app.test_client(), idp, staff), "kommunens indkøb")
    saml_app.config["SAML_STAFF_IDPS"] = (f"{IDP_URL}/metadata",)
    client = saml_app.test_client()
    assert log_in(client, idp, staff).status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/procurement/"


def test_staff_log_in_at_the_municipality_s_own_identity_provider_beside_nemlog_in(
    saml_app, idp, people, key_dirs, tmp_path
):
    own = TestIdP("http://adfs.test", key_dirs[0].parent / "own-idp")
    own.trust(saml_app.test_client().get("/saml/metadata").get_data(as_text=True))
    both = tmp_path / "both.xml"
    both.write_text(
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
        f"{idp.metadata_xml()}{own.metadata_xml()}</md:EntitiesDescriptor>",
        encoding="utf-8",
    )
    saml_app.config.update(
        SAML_IDP_METADATA=str(both), SAML_STAFF_IDPS=("http://adfs.test/metadata",)
    )
    client = saml_app.test_client()
    assert "Log ind som kommunens medarbejder" in client.get("/login").get_data(as_text=True)
    start_login(client)  # the MitID Erhverv button still leads to NemLog-in (the test IdP)
    asked = client.get("/saml/login", query_string={"idp": "http://adfs.test/metadata"})
    location = urlsplit(asked.headers["Location"])
    assert location.netloc == "adfs.test"
    authn_request = own.read_request(dict(parse_qsl(location.query)))
    staff = Person("uuid-staff", "Mette Kjærgaard", "indkob@kk.dk", None, "High")
    acs, saml_response = own.answer(authn_request, staff)
    assert post_answer(client, acs, saml_response).status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/procurement/"


def test_a_person_bound_at_one_provider_is_refused_with_another_provider_s_cvr(
    saml_app, idp, people, make_provider
):
    log_in(saml_app.test_client(), idp, people["coordinator"])
    with saml_app.app_context():
        make_provider(db.session, "Ungeværkstedet Nordvest ApS", "30160916")
        db.session.commit()
    moved = Person("uuid-coordinator", "Jonas Holm", "koordinator@fodfaeste.dk", "30160916")
    _refused(log_in(saml_app.test_client(), idp, moved), "Ungeværkstedet Nordvest ApS")


def test_the_assertion_may_come_unencrypted_but_signed(saml_app, idp, people):
    client = saml_app.test_client()
    assert log_in(client, idp, people["coordinator"], encrypt=False).status_code == 302


def test_after_login_the_target_asked_for_is_shown(saml_app, idp, people):
    client = saml_app.test_client()
    authn_request = idp.read_request(start_login(client, next_path="/provider/"))
    acs, saml_response = idp.answer(authn_request, people["coordinator"])
    response = post_answer(client, acs, saml_response)
    assert response.headers["Location"] == "/provider/"


def _refused(response, words: str) -> None:
    assert response.status_code in (400, 403)
    assert words in response.get_data(as_text=True)


def _problem(app) -> str:
    """What pysaml2 found wrong with the response, as the audit log keeps it."""
    (event,) = _events(app, "login.sso_refused")
    return event.details["problem"]


def test_unknown_cvr_is_told_to_ask_procurement(saml_app, idp, people):
    client = saml_app.test_client()
    _refused(log_in(client, idp, people["stranger"]), "kommunens indkøb")
    assert client.get("/provider/").status_code == 302
    (event,) = _events(saml_app, "login.sso_refused")
    assert event.details["reason"] == "unknown_organisation"
    assert event.details["cvr"] == "30160916" and event.details["uuid"] == "uuid-stranger"


def test_cvr_without_a_grant_is_told_to_ask_its_administrator(saml_app, idp, people):
    client = saml_app.test_client()
    _refused(log_in(client, idp, people["colleague"]), "Nyt Fodfæste A/S")
    assert client.get("/provider/").status_code == 302
    assert _events(saml_app, "login.sso_refused")[0].details["reason"] == "not_granted"


def test_staff_member_of_another_organisation_does_not_get_in_as_staff(saml_app, idp, people):
    # Procurement's e-mail address, but vouched for as an employee of a provider.
    impostor = Person("uuid-x", "X", "indkob@kk.dk", "40850309", "High")
    _refused(log_in(saml_app.test_client(), idp, impostor), "administrator")


def test_low_level_of_assurance_is_refused(saml_app, idp, people):
    low = Person("uuid-coordinator", "Jonas Holm", "koordinator@fodfaeste.dk", "40850309", "Low")
    client = saml_app.test_client()
    _refused(log_in(client, idp, low), "Betydelig")
    assert client.get("/provider/").status_code == 302


def test_deactivated_user_is_refused(saml_app, idp, people):
    with saml_app.app_context():
        db.session.execute(sa.update(User).values(is_active=False))
        db.session.commit()
    _refused(log_in(saml_app.test_client(), idp, people["coordinator"]), "deaktiveret")


def test_tampered_signature_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    authn_request = idp.read_request(start_login(client))
    acs, saml_response = idp.answer(authn_request, people["colleague"], encrypt=False)
    xml = base64.b64decode(saml_response).decode("utf-8")
    # The colleague, not granted, poses as the coordinator inside the signed assertion.
    assert xml.count("ida@fodfaeste.dk") == 1
    forged = xml.replace("ida@fodfaeste.dk", "koordinator@fodfaeste.dk")
    response = post_answer(client, acs, base64.b64encode(forged.encode()).decode())
    _refused(response, "kunne ikke godtages")
    assert client.get("/provider/").status_code == 302
    assert "SignatureError" in _problem(saml_app)


def test_unsigned_assertion_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    _refused(log_in(client, idp, people["coordinator"], sign=False), "kunne ikke godtages")
    assert client.get("/provider/").status_code == 302
    assert "SignatureError" in _problem(saml_app)


def test_answer_sent_to_another_destination_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    response = log_in(
        client, idp, people["coordinator"], destination="https://other.example/saml/acs"
    )
    _refused(response, "kunne ikke godtages")
    assert client.get("/provider/").status_code == 302


def test_wrong_audience_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    _refused(
        log_in(
            client, idp, people["coordinator"], encrypt=False, audience="https://other.example/sp"
        ),
        "kunne ikke godtages",
    )
    assert client.get("/provider/").status_code == 302
    assert "AudienceRestrictions" in _problem(saml_app)


def test_expired_assertion_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    _refused(
        log_in(client, idp, people["coordinator"], lifetime_minutes=-10), "kunne ikke godtages"
    )
    assert client.get("/provider/").status_code == 302
    assert "Condition not OK" in _problem(saml_app)


@BOTH_DATABASES
def test_replayed_response_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    authn_request = idp.read_request(start_login(client))
    request_cookie = client.get_cookie("saml_request", path="/saml/acs")
    acs, saml_response = idp.answer(authn_request, people["coordinator"])
    assert post_answer(client, acs, saml_response).status_code == 302
    # Someone who copied the answer and the request cookie posts both again.
    thief = saml_app.test_client()
    thief.set_cookie("saml_request", request_cookie.value, path="/saml/acs")
    _refused(post_answer(thief, acs, saml_response), "er allerede brugt")
    assert thief.get("/provider/").status_code == 302
    with saml_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamlAssertion)) == 1


def test_answer_to_another_request_is_refused(saml_app, idp, people):
    client = saml_app.test_client()
    authn_request = idp.read_request(start_login(client))
    acs, saml_response = idp.answer(authn_request, people["coordinator"], in_response_to="id-other")
    _refused(post_answer(client, acs, saml_response), "kunne ikke godtages")
    assert "Unsolicited response: id-other" in _problem(saml_app)


def test_unsolicited_answer_is_refused(saml_app, idp, people):
    starter = saml_app.test_client()
    authn_request = idp.read_request(start_login(starter))
    acs, saml_response = idp.answer(authn_request, people["coordinator"])
    # Posted by a browser that never started a login here.
    _refused(post_answer(saml_app.test_client(), acs, saml_response), "kunne ikke godtages")
    assert "Unsolicited response" in _problem(saml_app)


def test_garbage_is_refused_without_an_error(saml_app):
    response = saml_app.test_client().post("/saml/acs", data={"SAMLResponse": "bm90IHhtbA=="})
    assert response.status_code == 400
    assert "ParseError" in _problem(saml_app)


def test_refused_responses_are_throttled_per_address(saml_app):
    saml_app.config["LOGIN_LIMITS"] = ("5 per 15 minutes", "3 per 15 minutes")
    client = saml_app.test_client()
    answers = [client.post("/saml/acs", data={"SAMLResponse": "bm90IHhtbA=="}) for _ in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
