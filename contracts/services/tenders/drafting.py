"""Entering a tender: the draft and its lots, changes while it is a draft, publication, and
cancellation before it is concluded.

Publishing needs, besides a lot and a future deadline, the contract period (the contracts
are created from it at conclusion).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Lot, Programme, Tender
from ...models.procurement import PROCEDURES
from ...rules import tendering as rules
from ...rules.problems import N_, Problem
from .. import DomainError, NotFound
from ..audit import Actor, record
from ..scope import Viewer
from ..sql import next_reference
from .guards import _refuse, _require_procurement, _today
from .reading import get_tender, status_now

REFERENCE_PREFIX = "UDB"
DEFAULT_EXPECTED_HOURS = Decimal("80.00")
DEFAULT_OUTCOME_RATE = Decimal("0.15")
DEFAULT_W_PRICE = Decimal("0.6")
DEFAULT_W_QUALITY = Decimal("0.4")
ONE = Decimal(1)
_PROCEDURE_PROBLEM = Problem(
    N_("the procedure must be one of %(procedures)s"),
    {"procedures": ", ".join(PROCEDURES)},
    field="procedure",
)
_KIND_PROBLEM = Problem(
    N_("the contracts are special_effort or framework agreements"), field="contract_kind"
)


@dataclass(frozen=True)
class LotTerms:
    """A lot as procurement enters it: one programme with the expected values that price bids."""

    programme: str
    title: str = ""
    estimated_value: Decimal | None = None
    expected_hours: Decimal = DEFAULT_EXPECTED_HOURS
    expected_outcome_rate: Decimal = DEFAULT_OUTCOME_RATE
    w_price: Decimal = DEFAULT_W_PRICE
    w_quality: Decimal = DEFAULT_W_QUALITY
    max_awards: int = 1


@dataclass(frozen=True)
class TenderTerms:
    """A tender as procurement enters it."""

    title: str
    lots: list[LotTerms]
    procedure: str = "open"
    contract_kind: str = "special_effort"
    deadline_at: datetime | None = None
    contract_start_on: date | None = None
    contract_end_on: date | None = None
    contract_max_end_on: date | None = None
    reference: str | None = None


def _lot_problems(
    session: Session, lots: list[LotTerms]
) -> tuple[list[Problem], dict[str, Programme]]:
    problems: list[Problem] = []
    programmes = {p.code: p for p in session.scalars(sa.select(Programme))}
    seen = set()
    for n, lot in enumerate(lots, start=1):
        where = f"lots.{n}"
        if lot.programme not in programmes:
            codes = ", ".join(sorted(programmes, key=lambda c: programmes[c].position))
            problems.append(
                Problem(
                    N_("there is no programme '%(code)s'; use one of %(codes)s"),
                    {"code": lot.programme, "codes": codes},
                    field=f"{where}.programme",
                )
            )
        elif lot.programme in seen:
            problems.append(
                Problem(N_("A tender has one lot per programme."), field=f"{where}.programme")
            )
        seen.add(lot.programme)
        problems += _lot_value_problems(
            where,
            lot.estimated_value,
            lot.expected_hours,
            lot.expected_outcome_rate,
            lot.w_price,
            lot.w_quality,
            lot.max_awards,
        )
    return problems, programmes


def _lot_value_problems(
    where, estimated_value, expected_hours, outcome_rate, w_price, w_quality, max_awards
) -> list[Problem]:
    problems = []
    if estimated_value is not None and estimated_value < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.estimated_value"))
    if expected_hours < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.expected_hours"))
    if not 0 <= outcome_rate <= 1:
        problems.append(
            Problem(
                N_("The expected outcome rate is from 0 to 100 %."),
                field=f"{where}.expected_outcome_rate",
            )
        )
    if w_price < 0 or w_quality < 0 or w_price + w_quality != ONE:
        problems.append(
            Problem(
                N_(
                    "The price and quality weights must add up to 1 (%(price)s + %(quality)s = "
                    "%(sum)s)."
                ),
                {"price": w_price, "quality": w_quality, "sum": w_price + w_quality},
                field=f"{where}.w_price",
            )
        )
    if max_awards < 1:
        problems.append(
            Problem(N_("At least one provider is awarded a lot."), field=f"{where}.max_awards")
        )
    return problems


def _period_problems(start: date | None, end: date | None, max_end: date | None) -> list[Problem]:
    problems = []
    if start and end and end < start:
        problems.append(
            Problem(
                N_("The contracts cannot end (%(end)s) before they start (%(start)s)."),
                {"end": end, "start": start},
                field="contract_end_date",
            )
        )
    if end and max_end and max_end < end:
        problems.append(
            Problem(
                N_(
                    "The extension option (%(max_end)s) cannot end before the contracts end "
                    "(%(end)s)."
                ),
                {"max_end": max_end, "end": end},
                field="contract_max_end_date",
            )
        )
    return problems


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
    """Change a draft lot's title, estimated value, expected values, weights or number of awards."""
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
