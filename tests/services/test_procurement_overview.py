"""The procurement overview's services: expiring contracts first, the newest version of each
month's report, a contract's participant counts, each as the viewer may see it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract, Enrolment, MonthlyReport, Participant
from contracts.services.procurement_overview import expiring_first, participant_counts
from contracts.services.report_versions import newest_by_month, newest_report
from contracts.services.scope import Viewer
from tests.factories import make_contract

PROCUREMENT = Viewer(user_id=None, role="procurement")
TODAY = date(2019, 6, 1)


def _contract(session, provider, reference, end_on, **extra) -> Contract:
    return make_contract(
        session,
        provider.id,
        reference,
        start_on=date(2019, 1, 1),
        end_on=end_on,
        max_end_on=end_on,
        ceiling=Decimal("1000000.00"),
        **extra,
    )


@pytest.fixture
def contract(db_session, make_provider) -> Contract:
    return _contract(db_session, make_provider(db_session), "AFT-1", date(2019, 12, 31))


def test_expiring_contracts_come_first_soonest_end_first(db_session, make_provider):
    provider = make_provider(db_session)
    later = _contract(db_session, provider, "A", date(2019, 8, 1))
    sooner = _contract(db_session, provider, "B", date(2019, 7, 1))
    far = _contract(db_session, provider, "C", date(2020, 6, 1))
    succeeded = _contract(db_session, provider, "D", date(2019, 6, 30))
    _contract(db_session, provider, "E", date(2020, 6, 1), predecessor=succeeded)
    db_session.refresh(succeeded)

    ordered = expiring_first([later, sooner, far, succeeded], TODAY)

    assert [c.reference for c in ordered] == ["B", "A", "C", "D"]


def test_each_month_shows_its_newest_version(db_session, contract):
    for month, version, status in [
        ("2019-01", 1, "invoiced"),
        ("2019-01", 2, "accepted"),
        ("2019-02", 1, "submitted"),
    ]:
        db_session.add(
            MonthlyReport(contract_id=contract.id, month=month, version=version, status=status)
        )
    db_session.flush()

    shown = newest_by_month(db_session, PROCUREMENT, contract.id)

    assert [(r.month, r.version) for r in shown] == [("2019-02", 1), ("2019-01", 2)]
    assert newest_report(db_session, PROCUREMENT, contract.id, "2019-01").version == 2


def test_a_report_is_found_only_for_a_real_month_of_a_contract_the_viewer_may_see(
    db_session, contract, make_provider
):
    db_session.add(MonthlyReport(contract_id=contract.id, month="2019-01", version=1))
    db_session.flush()
    other = Viewer(user_id=None, role="provider", provider_id=make_provider(db_session).id)

    assert newest_report(db_session, PROCUREMENT, contract.id, "2019-1") is None
    assert newest_report(db_session, PROCUREMENT, contract.id, "2019-02") is None
    assert newest_report(db_session, other, contract.id, "2019-01") is None
    assert newest_by_month(db_session, other, contract.id) == []


def test_participants_count_once_and_active_ones_are_not_ended_by_today(db_session, contract):
    people = [Participant(ref=f"DL-{n}AAAA", pseudonym=str(n) * 64) for n in range(3)]
    db_session.add_all(people)
    db_session.flush()
    for person, start, end in [
        (people[0], date(2019, 1, 1), date(2019, 2, 28)),
        (people[0], date(2019, 4, 1), None),
        (people[1], date(2019, 1, 1), TODAY),
        (people[2], date(2019, 1, 1), date(2019, 5, 31)),
    ]:
        db_session.add(
            Enrolment(
                participant_id=person.id,
                contract_id=contract.id,
                start_on=start,
                end_on=end,
                end_reason=None if end is None else "moved",
                age_at_start=35,
            )
        )
    db_session.flush()

    # The one who exits today is an exit, not active today (DESIGN.md §7), as in the figures.
    assert participant_counts(db_session, PROCUREMENT, contract.id, TODAY) == (3, 1)
    admin = Viewer(user_id=None, role="admin")
    assert participant_counts(db_session, admin, contract.id, TODAY) == (0, 0)
