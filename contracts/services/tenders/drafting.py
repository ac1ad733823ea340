"""Entering a tender: the draft and its lots, changes while it is a draft, publication, and
cancellation before it is concluded.

Publishing needs, besides a lot and a future deadline, the contract period (the contracts
are created from it at conclusion).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Lot, Tender
from ...models.procurement import PROCEDURES
from ...rules import tendering as rules
from ...rules.problems import N_, Problem
from .. import DomainError, NotFound, notification_events
from ..audit import Actor, record
from ..scope import Viewer
from ..sql import next_reference
from .guards import _refuse, _require_procurement, _today
from .reading import get_tender, status_now
from .terms import (
    _KIND_PROBLEM,
    _PROCEDURE_PROBLEM,
    REFERENCE_PREFIX,
    TenderTerms,
    _lot_problems,
    _lot_value_problems,
    _period_problems,
)


def create_tender(
    session: Session, actor: Actor, viewer: Viewer, terms: TenderTerms, now: datetime
) -> Tender:
    """Enter a draft tender with its lots; every problem is refused at once, nothing stored."""
    _require_procurement(viewer)
    problems, programmes = _lot_problems(session, terms.lots)
    if not terms.title.strip():
        problems.insert(0, Problem(N_("Give the tender a title."), field="title"))
    if terms.procedure not in PROCEDURES:
        problems.append(_PROCEDURE_PROBLEM)
    if terms.contract_kind not in ("special_effort", "framework"):
        problems.append(_KIND_PROBLEM)
    problems += _period_problems(
        terms.contract_start_on, terms.contract_end_on, terms.contract_max_end_on
    )
    if terms.reference and session.scalar(
        sa.select(Tender.id).where(Tender.reference == terms.reference)
    ):
        problems.append(
            Problem(
                N_("The reference %(reference)s is taken by another tender."),
                {"reference": terms.reference},
                field="reference",
            )
        )
    _refuse(problems)
    tender = Tender(
        reference=terms.reference
        or next_reference(session, Tender.reference, f"{REFERENCE_PREFIX}-{_today(now).year}-"),
        title=terms.title.strip(),
        procedure=terms.procedure,
        contract_kind=terms.contract_kind,
        status="draft",
        deadline_at=terms.deadline_at,
        contract_start_on=terms.contract_start_on,
        contract_end_on=terms.contract_end_on,
        contract_max_end_on=terms.contract_max_end_on or terms.contract_end_on,
        created_at=now,
    )
    session.add(tender)
    session.flush()
    for number, lot in enumerate(terms.lots, start=1):
        programme = programmes[lot.programme]
        session.add(
            Lot(
                tender_id=tender.id,
                programme_id=programme.id,
                number=number,
                title=lot.title.strip() or programme.name_da,
                estimated_value=lot.estimated_value,
                expected_hours=lot.expected_hours,
                expected_outcome_rate=lot.expected_outcome_rate,
                w_price=lot.w_price,
                w_quality=lot.w_quality,
                max_awards=lot.max_awards,
                expected_week13_rate=lot.expected_week13_rate,
                expected_week26_rate=lot.expected_week26_rate,
                clawback_days=lot.clawback_days,
            )
        )
    session.flush()
    session.refresh(tender, ["lots"])
    record(
        session,
        actor,
        "tender.created",
        "tender",
        tender.id,
        occurred_at=now,
        reference=tender.reference,
        lots=[lot.programme for lot in terms.lots],
    )
    return tender


TENDER_FIELDS = (
    "title",
    "procedure",
    "contract_kind",
    "deadline_at",
    "contract_start_on",
    "contract_end_on",
    "contract_max_end_on",
)
LOT_FIELDS = (
    "title",
    "estimated_value",
    "expected_hours",
    "expected_outcome_rate",
    "w_price",
    "w_quality",
    "max_awards",
    "expected_week13_rate",
    "expected_week26_rate",
    "clawback_days",
)


def _require_draft(tender: Tender, now: datetime, template: str) -> None:
    """Refuse with the template ("the tender is %(state)s; only a draft can be …") unless a draft."""
    if tender.status != "draft":
        raise DomainError(template, "status", status=409, state=status_now(tender, now))


def _text(value: Any) -> Any:
    return (
        value.isoformat()
        if isinstance(value, (date, datetime))
        else str(value)
        if value is not None
        else None
    )


def update_draft(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    changes: dict[str, Any],
    now: datetime,
) -> Tender:
    """Change a draft's title, procedure, deadline or contract period."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be changed"))
    unknown = set(changes) - set(TENDER_FIELDS)
    if unknown:
        raise DomainError(N_("%(names)s cannot be changed here"), names=", ".join(sorted(unknown)))
    merged = {name: changes.get(name, getattr(tender, name)) for name in TENDER_FIELDS}
    problems = _period_problems(
        merged["contract_start_on"], merged["contract_end_on"], merged["contract_max_end_on"]
    )
    if not (merged["title"] or "").strip():
        problems.append(Problem(N_("Give the tender a title."), field="title"))
    if merged["procedure"] not in PROCEDURES:
        problems.append(_PROCEDURE_PROBLEM)
    if merged["contract_kind"] not in ("special_effort", "framework"):
        problems.append(_KIND_PROBLEM)
    _refuse(problems)
    changed = {}
    for name, value in changes.items():
        if getattr(tender, name) != value:
            changed[name] = [_text(getattr(tender, name)), _text(value)]
            setattr(tender, name, value.strip() if isinstance(value, str) else value)
    session.flush()
    if changed:
        record(
            session, actor, "tender.updated", "tender", tender.id, occurred_at=now, changes=changed
        )
    return tender


def update_lot(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    changes: dict[str, Any],
    now: datetime,
) -> Lot:
    """Change a draft lot's title, estimated value, expected values, weights or number of awards,
    or its milestone prices (both later shares null: the lot no longer asks for them)."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be changed"))
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound(N_("no such lot in this tender"), "lot_id")
    merged = {name: changes.get(name, getattr(lot, name)) for name in LOT_FIELDS}
    _refuse(
        _lot_value_problems(
            "lot",
            merged["estimated_value"],
            merged["expected_hours"],
            merged["expected_outcome_rate"],
            merged["w_price"],
            merged["w_quality"],
            merged["max_awards"],
        )
        + rules.milestone_shares_problems(
            "lot",
            merged["expected_outcome_rate"],
            merged["expected_week13_rate"],
            merged["expected_week26_rate"],
            merged["clawback_days"],
        )
    )
    changed = {}
    for name in LOT_FIELDS:
        if name in changes and getattr(lot, name) != changes[name]:
            changed[name] = [_text(getattr(lot, name)), _text(changes[name])]
            setattr(lot, name, changes[name])
    session.flush()
    if changed:
        record(
            session,
            actor,
            "lot.updated",
            "tender",
            tender.id,
            occurred_at=now,
            lot=lot.number,
            changes=changed,
        )
    return lot


def publish(
    session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime
) -> Tender:
    """Publish a draft: it needs a lot, a deadline in the future and the contract period."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be published"))
    if not tender.lots:
        raise DomainError(N_("a tender needs at least one lot before it is published"), "lots")
    if tender.deadline_at is None:
        raise DomainError(N_("set the deadline for bids before publishing"), "deadline")
    if tender.deadline_at <= now:
        raise DomainError(
            N_(
                "the deadline %(deadline)s (Copenhagen time) has passed; set a deadline in the future"
            ),
            "deadline",
            deadline=rules.copenhagen_time(tender.deadline_at),
        )
    if tender.contract_start_on is None or tender.contract_end_on is None:
        raise DomainError(
            N_("set the contract period (start and end) before publishing"), "contract_start_date"
        )
    tender.status, tender.published_at = "published", now
    session.flush()
    record(
        session,
        actor,
        "tender.published",
        "tender",
        tender.id,
        occurred_at=now,
        deadline=rules.copenhagen_time(tender.deadline_at).isoformat(),
    )
    notification_events.tender_published(session, tender)
    return tender


def cancel(
    session: Session, actor: Actor, viewer: Viewer, tender_id: int, reason: str, now: datetime
) -> Tender:
    """Cancel a tender in any state before it is concluded; the reason is required."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    reason = (reason or "").strip()
    if status not in rules.CANCELLABLE:
        raise DomainError(
            N_("the tender is %(state)s and can no longer be cancelled"),
            "status",
            status=409,
            state=status,
        )
    if not reason:
        raise DomainError(N_("a cancellation needs a reason"), "reason")
    tender.status, tender.cancelled_reason = "cancelled", reason[:2000]
    session.flush()
    record(
        session,
        actor,
        "tender.cancelled",
        "tender",
        tender.id,
        occurred_at=now,
        previous=status,
        reason=tender.cancelled_reason,
    )
    return tender
