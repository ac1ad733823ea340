"""The lists of contracts have one home (`contract_lists`): each is scoped to the viewer there,
by reference for the pages' tables and choices, filtered and paged for the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Programme
from contracts.services import DomainError, contract_lists
from contracts.services.procurement_overview import visible_contracts
from contracts.services.scope import Viewer
from tests.api.sql_statements import statements

PROCUREMENT = Viewer(user_id=None, role="procurement")
ADMIN = Viewer(user_id=None, role="admin")
TODAY = date(2019, 6, 1)


def _contract(session, provider_id: int, reference: str, start_on: date, **extra) -> Contract:
    contract = Contract(
        reference=reference,
        provider_id=provider_id,
        programme_id=session.scalar(sa.select(Programme.id).order_by(Programme.id)),
        kind="special_effort",
        start_on=start_on,
        end_on=date(2019, 12, 31),
        max_end_on=date(2020, 6, 30),
        monthly_fee=Decimal("9000.00"),
        hourly_rate=Decimal("45.00"),
        outcome_bonus=Decimal("15000.00"),
        ceiling=Decimal("1000000.00"),
        **extra,
    )
    session.add(contract)
    session.flush()
    return contract


@pytest.fixture
def two(db_session, make_provider) -> tuple[int, int]:
    """Provider A with contracts C, A (succeeded by E) and B's contract D, entered out of order."""
    a, b = make_provider(db_session).id, make_provider(db_session).id
    _contract(db_session, a, "C", date(2019, 3, 1))
    old = _contract(db_session, a, "A", date(2019, 1, 1))
    _contract(db_session, b, "D", date(2019, 9, 1))
    _contract(db_session, a, "E", date(2019, 11, 1), predecessor_id=old.id)
    db_session.commit()
    return a, b


def _references(contracts) -> list[str]:
    return [c.reference for c in contracts]


def test_each_viewer_sees_its_own_by_reference(db_session, two):
    a, b = two
    own = Viewer(user_id=None, role="provider", provider_id=a)
    assert _references(contract_lists.contracts_by_reference(db_session, PROCUREMENT)) == [
        "A",
        "C",
        "D",
        "E",
    ]
    assert _references(contract_lists.contracts_by_reference(db_session, PROCUREMENT, b)) == ["D"]
    assert _references(contract_lists.contracts_by_reference(db_session, own)) == ["A", "C", "E"]
    assert contract_lists.contracts_by_reference(db_session, own, b) == []
    assert contract_lists.contracts_by_reference(db_session, ADMIN) == []


def test_the_overview_lists_through_the_same_list_with_the_successors(app, db_session, two):
    db_session.expire_all()
    with statements(app) as sent:
        listed = visible_contracts(db_session, PROCUREMENT)
        successors = {c.reference: c.successor and c.successor.reference for c in listed}
    assert _references(listed) == ["A", "C", "D", "E"]
    assert successors == {"A": "E", "C": None, "D": None, "E": None}
    assert len(sent) == 4, sent  # the contracts, their providers, programmes and successors


def test_the_api_list_is_filtered_and_paged_in_the_query(db_session, two):
    a, _ = two
    own = Viewer(user_id=None, role="provider", provider_id=a)
    everything = contract_lists.ContractFilter()
    first = contract_lists.contract_page(db_session, PROCUREMENT, TODAY, everything, 1, 3)
    last = contract_lists.contract_page(db_session, PROCUREMENT, TODAY, everything, 2, 3)
    assert (_references(first.items), first.pages, first.total) == (["A", "C", "D"], 2, 4)
    assert (_references(last.items), last.total) == (["E"], 4)
    active = contract_lists.ContractFilter(status="active")
    assert _references(
        contract_lists.contract_page(db_session, own, TODAY, active, 1, 50).items
    ) == [
        "A",
        "C",
    ]
    for wrong in (
        contract_lists.ContractFilter(programme="knitting"),
        contract_lists.ContractFilter(status="open"),
    ):
        with pytest.raises(DomainError):
            contract_lists.contract_page(db_session, own, TODAY, wrong, 1, 50)
