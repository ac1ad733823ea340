"""effort_totals counts from enrolments, which only an accepted report (or a confirmed exit notice)
ends: a small hand-made history on both databases.

The history (programme adult-employment, contract OLD and its successor NEW):
- A: OLD from 5 Jan 2019; January's report v1 (invoiced) had A active, the correction v2
  (accepted) has A exiting to a job on 31 January, the month's last day.
- B: OLD from 10 Jan 2019, transferred to NEW on 1 February (OLD enrolment ends 31 January).
- C: OLD from 15 Jan 2019, open; February's v2 (only submitted) says C's benefit stopped.
- D: OLD from 20 Jan 2019, moved away on 20 February (in February's accepted v1).
- E: NEW from 1 March 2019, on a March report that is still a draft.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Enrolment, MonthlyReport, Participant, Programme
from contracts.services.figures import EffortTotals, effort_totals


def _totals(participants, active, positive=0, benefit_stopped=0, other=0) -> EffortTotals:
    return EffortTotals(
        participants=participants,
        active=active,
        exits=positive + benefit_stopped + other,
        positive=positive,
        benefit_stopped=benefit_stopped,
        other=other,
    )


@pytest.fixture
def history(any_app, make_provider):
    from provider_portal.extensions import db

    with any_app.app_context():
        session = db.session
        programme = session.scalar(sa.select(Programme).where(Programme.code == "adult-employment"))
        provider = make_provider(session)
        terms = {
            "provider_id": provider.id,
            "programme": programme,
            "kind": "special_effort",
            "monthly_fee": Decimal("9500.00"),
            "hourly_rate": Decimal("45.00"),
            "outcome_bonus": Decimal("15000.00"),
            "ceiling": Decimal("1000000.00"),
        }
        old = Contract(
            reference="OLD",
            start_on=date(2018, 3, 1),
            end_on=date(2019, 1, 31),
            max_end_on=date(2019, 1, 31),
            status="ended",
            **terms,
        )
        new = Contract(
            reference="NEW",
            start_on=date(2019, 2, 1),
            end_on=date(2019, 8, 31),
            max_end_on=date(2019, 8, 31),
            predecessor=old,
            **terms,
        )
        session.add_all([old, new])
        session.flush()

        people = {ref: Participant(ref=f"DL-{ref}AAAA", pseudonym=ref * 64) for ref in "ABCDE"}
        session.add_all(people.values())
        session.flush()

        def enrol(ref, contract, start, end=None, reason=None, **extra):
            enrolment = Enrolment(
                participant_id=people[ref].id,
                contract_id=contract.id,
                start_on=start,
                end_on=end,
                end_reason=reason,
                age_at_start=35,
                **extra,
            )
            session.add(enrolment)
            session.flush()
            return enrolment

        a = enrol("A", old, date(2019, 1, 5), date(2019, 1, 31), "job")
        b_old = enrol("B", old, date(2019, 1, 10), date(2019, 1, 31), "transferred")
        b_new = enrol("B", new, date(2019, 2, 1), transferred_from_id=b_old.id)
        c = enrol("C", old, date(2019, 1, 15))
        d = enrol("D", old, date(2019, 1, 20), date(2019, 2, 20), "moved")
        e = enrol("E", new, date(2019, 3, 1))

        def report(contract, month, version, status, *lines):
            row = MonthlyReport(
                contract_id=contract.id, month=month, version=version, status=status
            )
            for position, (enrolment, exit_on, reason) in enumerate(lines, start=1):
                row.lines.append(_line(enrolment, position, exit_on, reason))
            session.add(row)

        report(
            old,
            "2019-01",
            1,
            "invoiced",
            (a, None, None),
            (b_old, None, None),
            (c, None, None),
            (d, None, None),
        )
        report(
            old,
            "2019-01",
            2,
            "accepted",
            (a, date(2019, 1, 31), "job"),
            (b_old, None, None),
            (c, None, None),
            (d, None, None),
        )
        report(old, "2019-02", 1, "accepted", (c, None, None), (d, date(2019, 2, 20), "moved"))
        report(
            old,
            "2019-02",
            2,
            "submitted",
            (c, date(2019, 2, 10), "benefit_stopped"),
            (d, date(2019, 2, 20), "moved"),
        )
        report(new, "2019-02", 1, "accepted", (b_new, None, None))
        report(new, "2019-03", 1, "draft", (b_new, None, None), (e, None, None))
        session.commit()
        yield session, old.id, new.id


def _line(enrolment, position, exit_on, reason):
    from contracts.models import ReportLine

    return ReportLine(
        position=position,
        participant_id=enrolment.participant_id,
        enrolment_id=enrolment.id,
        hours_planned=Decimal("20.00"),
        hours_delivered=Decimal("18.00"),
        status="exited" if exit_on else "active",
        exit_on=exit_on,
        exit_reason=reason,
    )


def test_one_who_exits_on_the_last_day_is_an_exit_not_active(history):
    session, _, _ = history
    # A exits on 31 January: an exit. B, transferred that day, is still enrolled at its end.
    assert effort_totals(session, date(2019, 1, 31)) == _totals(4, 3, positive=1)


def test_a_transfer_is_never_an_exit_and_the_citizen_counts_once(history):
    session, _, new_id = history
    # B has lines on both contracts: one participant, active on NEW, no exit.
    assert effort_totals(session, date(2019, 2, 28)) == _totals(4, 2, positive=1, other=1)
    assert effort_totals(session, date(2019, 2, 28), [new_id]) == _totals(1, 1)


def test_only_the_newest_accepted_version_counts(history):
    session, old_id, _ = history
    # January v1 (invoiced) had no exit; v2 corrects it. February's v2 is only submitted, so
    # C's benefit stop has not taken effect and C is still active.
    assert effort_totals(session, date(2019, 2, 28), [old_id]) == _totals(4, 1, positive=1, other=1)


def test_an_exit_dated_after_the_day_is_not_yet_an_exit(history):
    session, _, _ = history
    # D leaves on 20 February: on the 15th D is still active.
    assert effort_totals(session, date(2019, 2, 15)) == _totals(4, 3, positive=1)


def test_only_citizens_started_by_the_day_count(history):
    session, _, _ = history
    # On 9 January only A has started, though January's report names four.
    assert effort_totals(session, date(2019, 1, 9)) == _totals(1, 1)
    assert effort_totals(session, date(2018, 12, 31)) == _totals(0, 0)


def test_a_referral_counts_from_its_start_whatever_its_reports(history):
    session, _, _ = history
    # E, referred from 1 March and only on March's draft, is a participant and active from
    # that day (the figures as of a day come from enrolments, DESIGN.md §3), not the day before.
    assert effort_totals(session, date(2019, 2, 28)) == _totals(4, 2, positive=1, other=1)
    assert effort_totals(session, date(2019, 3, 31)) == _totals(5, 3, positive=1, other=1)


def test_an_empty_scope_counts_nothing(history):
    session, _, _ = history
    assert effort_totals(session, date(2019, 3, 31), []) == _totals(0, 0)
