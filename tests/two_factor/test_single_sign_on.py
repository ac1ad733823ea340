"""Single sign-on is not asked for the portal's second factor: MitID Erhverv (and the
municipality's identity provider) ask for their own. The real test IdP signs the answer."""

from __future__ import annotations

from contracts.models import ROLES
from tests.saml.conftest import log_in


def test_a_person_from_mitid_erhverv_is_not_sent_to_enrolment(saml_app, idp, people):
    saml_app.config["TWO_FACTOR_ROLES"] = ROLES
    client = saml_app.test_client()
    answer = log_in(client, idp, people["coordinator"])
    assert answer.status_code == 302
    assert client.get("/provider/").status_code == 200
    page = client.get("/two-factor").get_data(as_text=True)
    assert "identitetsudbyderen beder om din anden faktor" in page
