"""contract_month: a month of a contract the viewer may see, or None, never another's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.models import Contract, MonthlyReport
from contracts.services.provider_overview import provider_overview
from contracts.services.report_months import contract_month
from contracts.services.scope import Viewer
from tests.factories import make_contract

TODAY = date(2019, 3, 15)


def _contract(session, provider, reference: str) -> Contract:
    return make_contract(
        session,
        provider.id,
        reference,
        ceiling=Decimal("1000000.00"),
        start_on=date(2019, 1, 10),
        end_on=date(2019, 12, 31),
        max_end_on=date(2019, 12, 31),
    )


def test_a_month_of_the_viewers_contract_shows_its_newest_report(db_session, make_provider):
    own, other = make_provider(db_session), make_provider(db_session)
    contract = _contract(db_session, own, "OWN-1")
    db_session.add_all(
        [
            MonthlyReport(contract_id=contract.id, month="2019-01", version=1, status="invoiced"),
            MonthlyReport(
                contract_id=contract.id,
                month="2019-01",
                version=2,
                status="rejected",
                rejection_reason="hours missing",
            ),
        ]
    )
    db_session.flush()
    viewer = Viewer(None, "provider", own.id)

    found = contract_month(db_session, viewer, contract.id, "2019-01", TODAY)
    assert (found.month, found.report.version, found.status) == ("2019-01", 2, "rejected")
    assert found.late and found.editable and found.due_on == date(2019, 2, 10)
    assert contract_month(db_session, viewer, contract.id, "2019-02", TODAY).status == "missing"

    # Not begun, before the contract, not a month, another provider's: all alike not there.
    assert contract_month(db_session, viewer, contract.id, "2019-04", TODAY) is None
    assert contract_month(db_session, viewer, contract.id, "2018-12", TODAY) is None
    assert contract_month(db_session, viewer, contract.id, "2019-1", TODAY) is None
    stranger = Viewer(None, "provider", other.id)
    assert contract_month(db_session, stranger, contract.id, "2019-01", TODAY) is None


def test_the_overview_counts_late_months_of_the_viewers_contracts_only(db_session, make_provider):
    own, other = make_provider(db_session), make_provider(db_session)
    contract = _contract(db_session, own, "OWN-1")
    _contract(db_session, other, "OTHER-1")
    db_session.add(
        MonthlyReport(contract_id=contract.id, month="2019-01", version=1, status="submitted")
    )
    db_session.flush()
    viewer = Viewer(None, "provider", own.id)

    overview = provider_overview(db_session, viewer, TODAY)
    assert [c.reference for c in overview.contracts] == ["OWN-1"]
    months = overview.months[contract.id]
    assert [(m.month, m.status) for m in months] == [
        ("2019-03", "open"),  # still running on 15 March: nothing is missing yet
        ("2019-02", "missing"),
        ("2019-01", "submitted"),
    ]
    assert overview.late_count == 1  # February, due 10 March; March is not due yet
