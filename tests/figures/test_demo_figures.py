"""The demo as of 24 January 2019 through GET /api/v1/figures: the seed's 107 / 70 / 37 (6 / 17 / 14)
from its enrolments, the programmes' and providers' figures adding up to them, and the demo
provider's own figures the same through the API and on its overview."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import Programme, Provider, User
from contracts.services.accounts import create_token
from contracts.services.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, login
from tests.figures.conftest import FIGURE_NAMES, figures_of
from tests.pages import PageParts, text_of

SEED = figures_of(107, 70, positive=6, benefit_stopped=17, other=14)
ADDED_UP = ("active", "exits", "positive", "benefit_stopped", "other")


@pytest.fixture
def demo(app):
    """The demo loaded; a token of its procurement and provider users, its programme and provider ids."""
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        tokens = {}
        for email, role in DEMO_USERS:
            if role in ("procurement", "provider"):
                user = db.session.scalar(sa.select(User).where(User.email == email))
                _, tokens[role] = create_token(db.session, TEST_ACTOR, user, "figures")
        programmes = list(db.session.scalars(sa.select(Programme.id)))
        providers = list(db.session.scalars(sa.select(Provider.id)))
        db.session.commit()
    return app, tokens, programmes, providers


def _figures(app, token: str, **params) -> dict:
    response = app.test_client().get(
        "/api/v1/figures", query_string=params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_demo_shows_the_seed_figures_of_24_january_2019(demo):
    app, tokens, programmes, providers = demo
    whole = _figures(app, tokens["procurement"])
    assert whole["on"] == "2019-01-24"
    assert {name: whole[name] for name in FIGURE_NAMES} == SEED

    for kind, ids in (("programme", programmes), ("provider", providers)):
        parts = [_figures(app, tokens["procurement"], scope=kind, id=i) for i in ids]
        sums = {name: sum(p[name] for p in parts) for name in ADDED_UP}
        assert sums == {name: SEED[name] for name in ADDED_UP}, kind


def test_the_demo_provider_sees_its_own_figures_through_the_api_and_on_its_overview(demo):
    app, tokens, _, _ = demo
    with app.app_context():
        (email,) = [e for e, role in DEMO_USERS if role == "provider"]
        provider_id = db.session.scalar(sa.select(User.provider_id).where(User.email == email))
    staff = _figures(app, tokens["procurement"], scope="provider", id=provider_id)
    own = _figures(app, tokens["provider"], scope="provider", id=provider_id)
    assert own == staff and 0 < own["participants"] < SEED["participants"]

    client = app.test_client()
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    page = PageParts(client.get("/provider/").get_data(as_text=True))
    (section,) = page.xpath("//section[@aria-labelledby='totals-heading']")
    shown = dict(
        zip(
            [text_of(e) for e in section.xpath(".//dt")],
            [text_of(e) for e in section.xpath(".//dd")],
            strict=True,
        )
    )
    assert shown["Deltagere"] == str(own["participants"])
    assert shown["Aktive i dag"] == str(own["active"])
    assert shown["Afgange"] == str(own["exits"])
