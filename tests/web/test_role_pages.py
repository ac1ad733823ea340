"""What each role's home page shows, and what it must never show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Participant, Programme, Provider, User
from tests.conftest import login
from tests.pages import PageParts


def _scalars(app, stmt):
    from provider_portal.extensions import db

    with app.app_context():
        return list(db.session.scalars(stmt))


def test_provider_home_shows_own_contracts_and_nothing_of_other_providers(demo_app, client_as):
    from provider_portal.extensions import db

    html = client_as("provider").get("/provider/").get_data(as_text=True)
    with demo_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "leverandor@demo.dk"))
        own = list(
            db.session.scalars(sa.select(Contract).where(Contract.provider_id == user.provider_id))
        )
        others = list(
            db.session.scalars(sa.select(Contract).where(Contract.provider_id != user.provider_id))
        )
        other_providers = list(
            db.session.scalars(sa.select(Provider).where(Provider.id != user.provider_id))
        )
        own_name = user.provider.name
        pseudonyms = list(db.session.scalars(sa.select(Participant.pseudonym)))
    text = PageParts(html).text
    assert "Jeres aftaler og indberetninger" in text
    assert own and others and other_providers
    assert own_name in text
    for contract in own:
        assert contract.reference in text
    for contract in others:
        assert contract.reference not in html
    for provider in other_providers:
        assert provider.name not in html
        assert provider.cvr not in html
    assert not any(p in html for p in pseudonyms), "a pseudonym is shown"


def test_provider_home_lists_months_with_due_dates_and_audits_participant_reading(
    demo_app, client_as
):
    from provider_portal.extensions import db

    html = client_as("provider").get("/provider/").get_data(as_text=True)
    text = PageParts(html).text
    # The demo's special-effort agreement started in March 2018; the current month is January 2019.
    assert "marts 2018" in text and "januar 2019" in text and "februar 2019" not in text
    assert "10-02-2019" in text  # January's report is due on the 10th of February
    assert "Deltagere" in text and "DL-" in text
    with demo_app.app_context():
        events = list(
            db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == "participants.viewed")
            )
        )
    assert len(events) == 1
    assert events[0].actor_label == "leverandor@demo.dk"


def test_provider_months_mark_late_reports(app, client, make_provider, make_user):
    """A month without a submitted report after its due date is marked late; one not yet due is not."""
    from provider_portal.extensions import db

    with app.app_context():
        provider = make_provider(db.session, name="Egen Leverandør ApS")
        # The four programmes come with the schema (migration 0002).
        programme = db.session.scalar(sa.select(Programme).where(Programme.code == "utility-work"))
        db.session.add(
            Contract(
                reference="TEST-1",
                provider_id=provider.id,
                programme_id=programme.id,
                kind="special_effort",
                start_on=date(2018, 11, 1),
                end_on=date(2019, 12, 31),
                max_end_on=date(2019, 12, 31),
                monthly_fee=Decimal(1000),
                hourly_rate=Decimal(100),
                outcome_bonus=Decimal(0),
                ceiling=Decimal(100000),
            )
        )
        make_user(db.session, "egen@example.dk", "provider", provider.id)
        db.session.commit()
    login(client, "egen@example.dk")
    parts = PageParts(client.get("/provider/").get_data(as_text=True))
    late_rows = parts.find_all("tr", class_="late")
    # November and December 2018 are past their due dates (10-12-2018, 10-01-2019) with no
    # report; January 2019 is due 10-02-2019, after the portal's today (24-01-2019).
    assert len(late_rows) == 2
    assert "2 månedsindberetninger er forsinkede." in parts.text
    assert "Mangler" in parts.text


def test_procurement_home_marks_expiring_contracts_first(demo_app, client_as):
    from provider_portal.extensions import db

    with demo_app.app_context():
        today = date(2019, 1, 24)
        contracts = list(db.session.scalars(sa.select(Contract)))
        expiring = {c.reference for c in contracts if c.is_expiring(today)}
        not_expiring = {c.reference for c in contracts if not c.is_expiring(today)}
    assert expiring and not_expiring
    html = client_as("procurement").get("/procurement/").get_data(as_text=True)
    parts = PageParts(html)
    assert "Overblik over aftaler" in parts.text
    assert "Udløber snart" in parts.text
    # The rows carry the highlight class, and the expiring ones come first in the table.
    table = html[html.index('<table class="data">', html.index('id="contracts-heading"')) :]
    rows = table.split("<tr")[2:]
    marked = [row for row in rows if row.startswith(' class="expiring"')]
    assert len(marked) == len(expiring)
    assert rows[: len(marked)] == marked
    for reference in expiring:
        assert any(reference in row for row in marked)
    for reference in not_expiring:
        assert not any(reference in row for row in marked)


def test_procurement_home_shows_the_effort_totals(client_as):
    text = PageParts(client_as("procurement").get("/procurement/").get_data(as_text=True)).text
    assert "Deltagere 107" in text
    assert "Aktive i dag 70" in text
    assert "Afgange 37" in text
    assert "Job eller uddannelse 6" in text
    assert "Ydelse ophørt 17" in text
    assert "Andre årsager 14" in text


def test_contract_detail_shows_price_terms_and_reports(demo_app, client_as):
    from provider_portal.extensions import db

    with demo_app.app_context():
        contract = db.session.scalar(sa.select(Contract).order_by(Contract.id))
        reference, fee = contract.reference, contract.monthly_fee
    client = client_as("procurement")
    text = PageParts(
        client.get(f"/procurement/contracts/{contract.id}").get_data(as_text=True)
    ).text
    assert f"Aftale {reference}" in text
    assert (
        "Priser" in text
        and f"{fee:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " kr." in text
    )
    assert "Månedsindberetninger" in text
    assert client.get("/procurement/contracts/999999").status_code == 404


def test_finance_home_shows_budget_and_plain_empty_state(client_as):
    text = PageParts(client_as("finance").get("/finance/").get_data(as_text=True)).text
    assert "Økonomioverblik" in text
    assert "Årsbudget 12.600.000,00 kr." in text
    assert "Der er endnu ikke faktureret noget for 2019." in text
    assert "Ingen fakturaer venter på godkendelse." in text


def test_header_shows_user_role_demo_date_and_municipality(client_as):
    parts = PageParts(client_as("finance").get("/finance/").get_data(as_text=True))
    assert "Demo: portalen kører på datoen 24-01-2019" in parts.text
    assert "Leverandørportal" in parts.text and "Københavns Kommune" in parts.text
    assert "okonomi@demo.dk" in parts.text and "Økonomi" in parts.text
    logout_forms = parts.find_all("form", action="/logout", method="post")
    assert logout_forms


def test_no_demo_banner_on_the_real_clock(demo_app, client_as):
    demo_app.config["PORTAL_TODAY"] = None
    text = PageParts(client_as("finance").get("/finance/").get_data(as_text=True)).text
    assert "Demo:" not in text
