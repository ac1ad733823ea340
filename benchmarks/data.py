"""Large, plausible data made by bulk inserts: contracts, participants and accepted reports.

Shared by the aggregation benchmark and the fault tests, which need months big enough to
take a while.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from contracts.models import (
    Contract,
    Enrolment,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
)
from contracts.rules.periods import months_between, parse_month

VALID_CVRS = ["13585628", "64942212", "29403473", "10150817", "25313763", "30060946"]
STAMP = datetime(2019, 2, 5, tzinfo=UTC)


def _cvr(n: int) -> str:
    """A CVR number that passes the modulus-11 check, the n-th of its kind."""
    from stdnum.dk import cvr

    candidate = 20_000_000 + n * 100  # one in eleven numbers passes, so each step finds its own
    while not cvr.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


def make_reports(
    session: Session,
    contracts: int,
    participants: int,
    first_month: str,
    last_month: str,
    first: int = 0,
) -> list[int]:
    """`contracts` contracts of `participants` each, with an accepted report for every month;
    numbered from `first`, so that calls for contracts of different sizes can follow each other.

    Every 40th participant leaves in the last month to a job, so bonuses and exits occur.
    Returns the contract ids. Flushes; the caller commits.
    """
    programme = session.scalar(sa.select(Programme).where(Programme.code == "utility-work"))
    start = parse_month(first_month)[0]
    months = months_between(first_month, last_month)
    contract_ids = []
    for c in range(first, first + contracts):
        provider = Provider(name=f"Leverandør {c:03d} ApS", cvr=_cvr(c))
        session.add(provider)
        session.flush()
        contract = Contract(
            reference=f"BULK-{c:03d}",
            provider_id=provider.id,
            programme_id=programme.id,
            kind="special_effort",
            status="active",
            start_on=start,
            end_on=date(2030, 12, 31),
            max_end_on=date(2030, 12, 31),
            monthly_fee=Decimal("9500.00"),
            hourly_rate=Decimal("45.00"),
            outcome_bonus=Decimal("15000.00"),
            ceiling=Decimal("9999999999.99"),
        )
        session.add(contract)
        session.flush()
        contract_ids.append(contract.id)
        base = session.scalar(sa.select(sa.func.coalesce(sa.func.max(Participant.id), 0)))
        ids = range(base + 1, base + participants + 1)
        session.execute(
            Participant.__table__.insert(),
            [
                {"id": i, "ref": f"B{i:07d}", "pseudonym": f"{i:064d}", "created_at": STAMP}
                for i in ids
            ],
        )
        enrolment_base = session.scalar(sa.select(sa.func.coalesce(sa.func.max(Enrolment.id), 0)))
        session.execute(
            Enrolment.__table__.insert(),
            [
                {
                    "id": enrolment_base + k + 1,
                    "participant_id": i,
                    "contract_id": contract.id,
                    "start_on": start,
                    "age_at_start": 35,
                    "created_at": STAMP,
                }
                for k, i in enumerate(ids)
            ],
        )
        for month in months:
            report = MonthlyReport(
                contract_id=contract.id,
                month=month,
                status="accepted",
                submitted_at=STAMP,
                decided_at=STAMP,
            )
            session.add(report)
            session.flush()
            last = month == months[-1]
            exit_on = parse_month(month)[0].replace(day=10)
            rows = []
            for k, i in enumerate(ids):
                leaves = last and k % 40 == 0
                rows.append(
                    {
                        "report_id": report.id,
                        "position": k + 1,
                        "participant_id": i,
                        "enrolment_id": enrolment_base + k + 1,
                        "hours_planned": Decimal("40.00") if leaves else Decimal("120.00"),
                        "hours_delivered": Decimal(f"{30 + k % 9}.50")
                        if leaves
                        else Decimal(f"{100 + k % 17}.25"),
                        "absence_hours": Decimal("2.00"),
                        "status": "exited" if leaves else "active",
                        "exit_on": exit_on if leaves else None,
                        "exit_reason": "job" if leaves else None,
                    }
                )
            session.execute(ReportLine.__table__.insert(), rows)
    return contract_ids
