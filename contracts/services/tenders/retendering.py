"""The re-tender of expiring contracts: a draft tender with one lot per programme, linked to
the contracts it replaces.

A re-tender does not require the contracts to be within 90 days of their end: the seed's
re-tender was under way in January 2019 for contracts ending in August. It refuses a
contract that has ended, has a successor or is already in a live re-tender.

Defaults of a re-tender's lot, editable while it is a draft: expected 80 hours and a 15 %
outcome rate a month (the seed's outcome rate is 16.2 %), weights 0.6 price / 0.4 quality,
estimated value the sum of the predecessors' ceilings; a contract period of two years from
the day after the (latest) predecessor ends, with a one-year extension option.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Contract, Tender, tender_predecessor
from ...rules.problems import N_, Problem
from .. import DomainError, contract_register
from ..audit import Actor, record
from ..scope import Viewer
from .drafting import create_tender
from .guards import _require_procurement, _today
from .reading import succession_warnings
from .terms import LotTerms, TenderTerms

LIVE_STATUSES = ("draft", "published", "closed", "evaluated", "awarded")


def retender(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_ids: list[int],
    now: datetime,
    title: str | None = None,
    deadline_at: datetime | None = None,
) -> tuple[Tender, list[Problem]]:
    """Start a re-tender of contracts: a draft tender with one lot per programme, linked to them.

    Its contracts start the day after the (latest) predecessor ends; a gap or an overlap with
    any predecessor is returned as a warning.
    """
    _require_procurement(viewer)
    today = _today(now)
    if not contract_ids:
        raise DomainError(N_("choose at least one contract to re-tender"), "contract_ids")
    olds = []
    for contract_id in dict.fromkeys(contract_ids):
        contract = contract_register.get_contract(session, viewer, contract_id)
        status = contract.status_on(today)
        if status in ("ended", "terminated"):
            raise DomainError(
                N_("contract %(reference)s is %(state)s; there is nothing to continue"),
                "contract_ids",
                status=409,
                reference=contract.reference,
                state=status,
            )
        if contract.successor is not None:
            raise DomainError(
                N_("Contract %(reference)s already has a successor (%(successor)s)."),
                "contract_ids",
                status=409,
                reference=contract.reference,
                successor=contract.successor.reference,
            )
        live = session.scalar(
            sa.select(Tender)
            .join(tender_predecessor, tender_predecessor.c.tender_id == Tender.id)
            .where(
                tender_predecessor.c.contract_id == contract.id, Tender.status.in_(LIVE_STATUSES)
            )
        )
        if live is not None:
            raise DomainError(
                N_("contract %(reference)s is already being re-tendered in %(tender)s"),
                "contract_ids",
                status=409,
                reference=contract.reference,
                tender=live.reference,
            )
        olds.append(contract)
    olds.sort(key=lambda c: (c.programme.position, c.end_on, c.id))
    start = max(c.end_on for c in olds) + timedelta(days=1)
    end = date(start.year + 2, start.month, start.day) - timedelta(days=1)
    max_end = (
        date(end.year + 1, end.month, end.day) if not (end.month == 2 and end.day == 29) else end
    )
    by_programme: dict[str, list[Contract]] = {}
    for old in olds:
        by_programme.setdefault(old.programme.code, []).append(old)
    kind = "framework" if any(c.kind != "special_effort" for c in olds) else "special_effort"
    lots = [
        LotTerms(
            programme=code,
            title=group[0].programme.name_da,
            estimated_value=sum((c.ceiling for c in group), Decimal(0)),
            max_awards=len(group),
        )
        for code, group in by_programme.items()
    ]
    default_title = "Genudbud af " + ", ".join(c.reference for c in olds)
    terms = TenderTerms(
        title=(title or default_title)[:300],
        lots=lots,
        contract_kind=kind,
        deadline_at=deadline_at,
        contract_start_on=start,
        contract_end_on=end,
        contract_max_end_on=max_end,
    )
    tender = create_tender(session, actor, viewer, terms, now)
    session.execute(
        tender_predecessor.insert(), [{"tender_id": tender.id, "contract_id": c.id} for c in olds]
    )
    session.flush()
    record(
        session,
        actor,
        "tender.retender_started",
        "tender",
        tender.id,
        occurred_at=now,
        predecessors=[c.reference for c in olds],
        contract_start_on=start.isoformat(),
    )
    for old in olds:
        record(
            session,
            actor,
            "contract.retendered",
            "contract",
            old.id,
            occurred_at=now,
            tender_id=tender.id,
            tender=tender.reference,
        )
    return tender, succession_warnings(tender)
