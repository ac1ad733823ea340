"""The month's report template: one line per participant to report, with what is already known.

A provider downloads it (CSV as Danish Excel opens it, or xlsx), fills in the hours and sends
it back. It lists exactly the participants §4 asks for (every enrolment of the contract that
overlaps the month), each as active, or as exited with the date and reason already known: a
confirmed exit notice first, then the exit of the month's newest report, then an end already
in effect on the enrolment. Hours are left empty: only the provider knows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Enrolment
from ..rules.exits import EXIT_REASONS
from ..rules.periods import Month
from ..rules.problems import N_
from . import NotFound
from .audit import Actor, record
from .notice_lists import confirmed_exits
from .report_lines import stored_exits
from .report_months import contract_month
from .scope import Viewer


@dataclass(frozen=True)
class TemplateLine:
    """A participant to report: active, or exited on a day for a reason already known."""

    participant_ref: str
    status: str
    exit_on: date | None = None
    exit_reason: str | None = None


@dataclass(frozen=True)
class ReportTemplate:
    """The month's template for one contract."""

    contract_id: int
    contract_reference: str
    month: Month
    lines: list[TemplateLine]

    @property
    def file_stem(self) -> str:
        """The downloaded file's name without extension: rapport-<contract>-<YYYY-MM>."""
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.contract_reference)
        return f"rapport-{safe}-{self.month}"


def _ended_enrolments(session: Session, contract_id: int, month: Month) -> dict:
    """The contract's enrolments that ended in the month by an exit: id → (day, reason). By
    contract, not by a list of a thousand ids; the caller keeps those it lists."""
    rows = session.execute(
        sa.select(Enrolment.id, Enrolment.end_on, Enrolment.end_reason).where(
            Enrolment.contract_id == contract_id,
            Enrolment.end_on.between(month.first_day, month.last_day),
            Enrolment.end_reason.in_(EXIT_REASONS),
        )
    ).all()
    return {eid: (end_on, reason) for eid, end_on, reason in rows}


def month_template(
    session: Session, viewer: Viewer, actor: Actor, contract_id: int, month: str, today: date
) -> ReportTemplate:
    """The template of a contract the viewer may see, for a month it is reported for; NotFound
    otherwise (another provider's contract does not exist for this one). The download is a read
    of personal data, and audited as one."""
    state = contract_month(session, viewer, contract_id, month, today)
    if state is None:
        raise NotFound(N_("No such contract or month."))
    month = Month.parse(month)
    known: dict[str, tuple[date, str]] = {}
    ended = _ended_enrolments(session, state.contract.id, month)
    for enrolled in state.enrolled:
        if enrolled.enrolment_id in ended:
            known[enrolled.participant_ref] = ended[enrolled.enrolment_id]
    if state.report is not None:
        known.update(stored_exits(session, state.report.id))
    known.update(confirmed_exits(session, state.contract.id, month))
    lines = []
    for enrolled in state.enrolled:
        exit_on, reason = known.get(enrolled.participant_ref, (None, None))
        status = "exited" if exit_on else "active"
        lines.append(TemplateLine(enrolled.participant_ref, status, exit_on, reason))
    record(
        session,
        actor,
        "participants.exported",
        "contract",
        state.contract.id,
        export="report_template",
        month=str(month),
        rows=len(lines),
    )
    return ReportTemplate(state.contract.id, state.contract.reference, month, lines)
