"""A provider's monthly statement is read in a fixed number of statements: three contracts cost
what one costs, their invoices, outcomes and programmes included."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract
from contracts.services import invoicing, scoring
from contracts.services.provider_statements import provider_statement
from provider_portal.extensions import db
from tests.api.sql_statements import statements
from tests.finance.documents import BUYER
from tests.scenarios import accepted_sample_month, sample_scenario

OUTCOMES = (7, 3, 4, 2, 1, 1)  # the sample month: participants, active, exits and their kinds


def _providers(app) -> tuple[int, int]:
    """Provider one holds one sample contract; provider two three, and a fourth of nothing that month."""
    ids = accepted_sample_month(app, 4)
    with app.app_context():
        contracts = [db.session.get(Contract, id_) for id_ in ids]
        one, two = contracts[0].provider_id, contracts[1].provider_id
        idle = sample_scenario(
            db.session, provider_name="Tom", cvr="30060946", refs=["DL-99XYZ"], reference="SÆR-9"
        )
        db.session.execute(
            sa.update(Contract)
            .where(Contract.id.in_([ids[2], ids[3], idle.contract_id]))
            .values(provider_id=two)
        )
        for id_ in ids:
            invoicing.invoice_contract_month(db.session, id_, "2019-01")
        scoring.compute_month(db.session, "2019-01")
        db.session.commit()
    return one, two


def _read(app, provider_id: int):
    """The statement, read in an app context of its own, and the statements that reading sent."""
    with app.app_context(), statements(app) as sent:
        statement = provider_statement(db.session, provider_id, "2019-01", BUYER)
    return statement, len(sent)


def test_three_contracts_statement_costs_the_statements_of_one(any_app):
    one, two = _providers(any_app)

    few, few_cost = _read(any_app, one)
    many, many_cost = _read(any_app, two)

    assert few_cost == many_cost, (few_cost, many_cost)
    assert many_cost <= 3
    # ... and the larger statement does show every contract with its invoice and outcomes.
    assert [c.reference for c in few.contracts] == ["SÆR-0"]
    assert [c.reference for c in many.contracts] == ["SÆR-1", "SÆR-2", "SÆR-3"]
    for contract in (*few.contracts, *many.contracts):
        counts = (
            contract.participants,
            contract.active_end,
            contract.exits,
            contract.positive,
            contract.benefit_stopped,
            contract.other,
        )
        assert counts == OUTCOMES
        assert contract.programme_name.startswith("Beskæftigelsesrettet forløb med mentor")
        assert [(d[0], d[2]) for d in contract.documents] == [("invoice", "draft")]
        assert contract.total == few.contracts[0].total > Decimal(0)
    assert many.total == 3 * few.total and many.seller.id == two and many.buyer == BUYER
