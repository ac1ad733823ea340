"""A month of benchmark contracts (benchmarks.data.make_reports) for the aggregation fault tests:
what each contract's invoice must come to, and a procurement user's API token to start it with."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from contracts.rules.pricing import invoice_totals, price_line
from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD


def expected_totals(app) -> dict[int, Decimal]:
    """Each contract's invoice total, priced in Python from the same data as the SQL prices."""
    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT c.id, rl.hours_delivered, rl.exit_reason FROM report_line rl "
                "JOIN monthly_report r ON r.id = rl.report_id JOIN contract c ON c.id = r.contract_id"
            )
        ).all()
    amounts: dict[int, list[Decimal]] = {}
    for contract_id, hours, reason in rows:
        days = 10 if reason else 31
        line = price_line(
            Decimal("9500.00"),
            Decimal("45.00"),
            Decimal("15000.00"),
            days,
            31,
            Decimal(str(hours)),
            reason,
            False,
        )
        amounts.setdefault(contract_id, []).append(line.amount)
    return {cid: invoice_totals(values, Decimal("0.25"))[2] for cid, values in amounts.items()}


PROCUREMENT = "indkob@example.dk"


def procurement_token(app) -> str:
    """The API token of a procurement user, PROCUREMENT."""
    with app.app_context():
        user = create_user(db.session, TEST_ACTOR, PROCUREMENT, "procurement", TEST_PASSWORD)
        _, token = create_token(db.session, TEST_ACTOR, user, "test")
        db.session.commit()
    return token
