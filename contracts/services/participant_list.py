"""A contract's participant list for procurement (issue 12): each enrolment's reference, start,
status, and end date and reason, searchable by reference, filtered by status, paged.

A contract may have thousands of enrolments: one statement counts them by status (the search
applied), one reads the page's rows, both in SQL whatever the page. Every statement is scoped
to the viewer (`scope`): another provider's contract is not found.

Statuses on a day, in this order of precedence:
- `withdrawn`: ended as registered by mistake (counted as nothing anywhere);
- `upcoming`: referred, starting after the day;
- `transferred`: moved to the successor contract on or before the day;
- `exited`: ended on or before the day for one of the exit reasons;
- `active`: started on or before the day and not ended by it (an enrolment ending later, as
  one ended by a report's future exit date cannot, would still be active).

Reading the list is a read of personal data (DESIGN.md §5, §13): it is recorded once per user,
list (the contract's) and Copenhagen day, not on every page, search or filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Enrolment, Participant
from ..rules.exits import TRANSFERRED, WITHDRAWN
from ..rules.problems import N_
from . import DomainError, scope
from .audit import Actor, participants_read
from .contract_register import get_contract
from .paging import MAX_PER_PAGE, Page, page_at
from .scope import Viewer

# A status names the end reason where the end is a transfer or a withdrawal.
STATUSES = ("active", "upcoming", "exited", TRANSFERRED, WITHDRAWN)
LIST_NAME = "procurement.participants"
SEARCH_MOST = 40  # a reference is 8 characters; longer text is cut, never an error


@dataclass(frozen=True)
class ParticipantRow:
    """One enrolment as the list shows it."""

    enrolment_id: int
    ref: str
    start_on: date
    end_on: date | None
    end_reason: str | None
    status: str
    # Continues an enrolment of the predecessor contract (a changeover, never a mistake).
    transferred_in: bool

    @property
    def may_withdraw(self) -> bool:
        """Whether ending it as registered by mistake can be asked for at all (the service
        still checks the reports when it is asked)."""
        return self.status not in (WITHDRAWN, TRANSFERRED) and not self.transferred_in


@dataclass(frozen=True)
class ParticipantList:
    """The contract, one page of its rows, and how many rows each status has (search applied)."""

    contract: Contract
    rows: Page[ParticipantRow]
    counts: dict[str, int]
    search: str
    status: str | None

    @property
    def total(self) -> int:
        """Every enrolment the search finds, whatever the status."""
        return sum(self.counts.values())


def status_on(day: date) -> sa.ColumnElement[str]:
    """An enrolment's status on the day, in SQL (see the module)."""
    ended = sa.and_(Enrolment.end_on.is_not(None), Enrolment.end_on <= day)
    return sa.case(
        (Enrolment.end_reason == WITHDRAWN, WITHDRAWN),
        (Enrolment.start_on > day, "upcoming"),
        (sa.and_(ended, Enrolment.end_reason == TRANSFERRED), TRANSFERRED),
        (ended, "exited"),
        else_="active",
    )


def _search(text: str | None) -> str:
    return (text or "").strip().upper()[:SEARCH_MOST]


def participant_list(
    session: Session,
    viewer: Viewer,
    contract_id: int,
    today: date,
    *,
    search: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ParticipantList:
    """One page of the contract's enrolments, by start date then reference; NotFound for a
    contract the viewer may not see, 422 for a status that is none of STATUSES."""
    if status is not None and status not in STATUSES:
        raise DomainError(
            N_("the status must be one of %(states)s"), "status", states=", ".join(STATUSES)
        )
    contract = get_contract(session, viewer, contract_id)
    search = _search(search)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    state = status_on(today).label("status")
    conditions = [Enrolment.contract_id == contract.id]
    if search:
        conditions.append(sa.func.upper(Participant.ref).contains(search, autoescape=True))

    def scoped(*columns) -> sa.Select:
        stmt = sa.select(*columns).join_from(
            Enrolment, Participant, Participant.id == Enrolment.participant_id
        )
        return scope.enrolments(viewer, stmt).where(*conditions)

    counts = dict.fromkeys(STATUSES, 0)
    counts.update(session.execute(scoped(state, sa.func.count(Enrolment.id)).group_by(state)).all())
    rows = (
        scoped(
            Enrolment.id,
            Participant.ref,
            Enrolment.start_on,
            Enrolment.end_on,
            Enrolment.end_reason,
            state,
            Enrolment.transferred_from_id.is_not(None),
        )
        .where(*([status_on(today) == status] if status else []))
        .order_by(Enrolment.start_on, Participant.ref, Enrolment.id)
    )
    found = counts[status] if status else sum(counts.values())
    page_rows = page_at(
        found,
        page,
        per_page,
        lambda limit, offset: [
            ParticipantRow(*row) for row in session.execute(rows.limit(limit).offset(offset))
        ],
    )
    return ParticipantList(
        contract=contract,
        rows=page_rows,
        counts=counts,
        search=search,
        status=status,
    )


def record_read(session: Session, actor: Actor, contract_id: int, now: datetime, **details) -> bool:
    """Record that the actor read the contract's participant list, once per user and Copenhagen
    day: the first read of the day is an audit event, later ones that day add none (False)."""
    return participants_read(session, actor, LIST_NAME, "contract", contract_id, now, **details)
