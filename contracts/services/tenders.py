"""Tenders from draft to concluded contracts (DESIGN.md §3), and the re-tender of expiring contracts.

Every step is guarded: it checks everything first and refuses with a plain reason
(`DomainError`: 422 when the rules forbid it, 409 when the tender's state does), so a refusal
changes nothing. Every step that changes something is an audit event.

Decisions where the design is silent:
- "closed" is not written by a job: a published tender is closed from the minute of its
  deadline (`rules.tendering.phase`); evaluation writes the next status.
- Publishing needs, besides a lot and a future deadline, the contract period (the contracts
  are created from it at conclusion).
- A provider sees published tenders and their lots, and only its own bids and its own
  result; never who else bid, nor the contracts a re-tender replaces (they are other
  providers' contracts). Before the deadline procurement sees no bid at all, not even
  that one exists; the audit event of a bid names no price.
- A bid may be revised until the deadline (one bid per provider per lot).
- Evaluation may be redone until the award. The award takes the best total of each lot,
  or the best `max_awards` ranked for a framework lot. A lot without bids is left unawarded.
- The standstill is the 10 days after the award day; the contracts may be concluded from
  the day after its last day.
- A re-tender does not require the contracts to be within 90 days of their end: the seed's
  re-tender was under way in January 2019 for contracts ending in August. It refuses a
  contract that has ended, has a successor or is already in a live re-tender.
- Defaults of a re-tender's lot, editable while it is a draft: expected 80 hours and a 15 %
  outcome rate a month (the seed's outcome rate is 16.2 %), weights 0.6 price / 0.4 quality,
  estimated value the sum of the predecessors' ceilings; a contract period of two years from
  the day after the (latest) predecessor ends, with a one-year extension option.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..documents import ocds
from ..models import AuditEvent, Bid, Contract, Lot, Programme, Tender, tender_predecessor
from ..models.procurement import PROCEDURES
from ..rules.problems import N_, Problem
from ..rules import tendering as rules
from . import DomainError, NotFound, contract_register
from .audit import Actor, record
from . import scope
from .scope import Viewer
from .sql import next_reference

REFERENCE_PREFIX = "UDB"
LIVE_STATUSES = ("draft", "published", "closed", "evaluated", "awarded")
DEFAULT_EXPECTED_HOURS = Decimal("80.00")
DEFAULT_OUTCOME_RATE = Decimal("0.15")
DEFAULT_W_PRICE = Decimal("0.6")
DEFAULT_W_QUALITY = Decimal("0.4")
ONE = Decimal(1)
_PROCEDURE_PROBLEM = Problem(N_("the procedure must be one of %(procedures)s"),
                             {"procedures": ", ".join(PROCEDURES)}, field="procedure")
_KIND_PROBLEM = Problem(N_("the contracts are special_effort or framework agreements"), field="contract_kind")


# --- what a viewer may see (kept beside the tenders until scope.py takes them over) ---

# --- what is entered ---

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


@dataclass
class Concluded:
    """The contracts a conclusion created, and what is worth a second look."""

    contracts: list[Contract]
    warnings: list[Problem] = field(default_factory=list)


def _require_procurement(viewer: Viewer) -> None:
    if not viewer.may("procurement"):
        raise DomainError(N_("only procurement may do this"), status=403)


def _today(now: datetime) -> date:
    return rules.local_day(now)


def get_tender(session: Session, viewer: Viewer, tender_id: int) -> Tender:
    """One tender the viewer may see; NotFound also when it exists but is not for their eyes."""
    tender = session.scalar(
        scope.tenders(viewer).where(Tender.id == tender_id)
        .options(selectinload(Tender.lots).selectinload(Lot.programme))
    )
    if tender is None:
        raise NotFound(N_("no such tender"), "tender_id")
    return tender


def list_tenders(session: Session, viewer: Viewer, now: datetime, status: str | None = None) -> list[Tender]:
    """The tenders the viewer may see, newest first, optionally only those in a status now."""
    tenders = session.scalars(
        scope.tenders(viewer).options(selectinload(Tender.lots).selectinload(Lot.programme))
        .order_by(Tender.created_at.desc(), Tender.id.desc())
    ).all()
    if status is not None:
        tenders = [t for t in tenders if status_now(t, now) == status]
    return list(tenders)


def status_now(tender: Tender, now: datetime) -> str:
    """The tender's status at a moment (published turns closed at the deadline)."""
    return rules.phase(tender.status, tender.deadline_at, now)


def predecessors(session: Session, tender: Tender) -> list[Contract]:
    """The contracts a re-tender replaces, by end date."""
    return list(session.scalars(
        sa.select(Contract).join(tender_predecessor, tender_predecessor.c.contract_id == Contract.id)
        .where(tender_predecessor.c.tender_id == tender.id)
        .options(selectinload(Contract.provider), selectinload(Contract.programme),
                 selectinload(Contract.successor))
        .order_by(Contract.end_on, Contract.id)
    ))


def succession_warnings(session: Session, tender: Tender) -> list[Problem]:
    """A gap or an overlap between each replaced contract and the tender's contract start."""
    if tender.contract_start_on is None:
        return []
    found = []
    for old in predecessors(session, tender):
        warning = rules.succession_warning(old.reference, old.end_on, tender.contract_start_on)
        if warning:
            found.append(warning)
    return found


def _lot_problems(session: Session, lots: list[LotTerms]) -> tuple[list[Problem], dict[str, Programme]]:
    problems: list[Problem] = []
    programmes = {p.code: p for p in session.scalars(sa.select(Programme))}
    seen = set()
    for n, lot in enumerate(lots, start=1):
        where = f"lots.{n}"
        if lot.programme not in programmes:
            codes = ", ".join(sorted(programmes, key=lambda c: programmes[c].position))
            problems.append(Problem(N_("there is no programme '%(code)s'; use one of %(codes)s"),
                                    {"code": lot.programme, "codes": codes}, field=f"{where}.programme"))
        elif lot.programme in seen:
            problems.append(Problem(N_("A tender has one lot per programme."), field=f"{where}.programme"))
        seen.add(lot.programme)
        problems += _lot_value_problems(where, lot.estimated_value, lot.expected_hours,
                                        lot.expected_outcome_rate, lot.w_price, lot.w_quality, lot.max_awards)
    return problems, programmes


def _lot_value_problems(where, estimated_value, expected_hours, outcome_rate, w_price, w_quality,
                        max_awards) -> list[Problem]:
    problems = []
    if estimated_value is not None and estimated_value < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.estimated_value"))
    if expected_hours < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.expected_hours"))
    if not 0 <= outcome_rate <= 1:
        problems.append(Problem(N_("The expected outcome rate is from 0 to 100 %."),
                                field=f"{where}.expected_outcome_rate"))
    if w_price < 0 or w_quality < 0 or w_price + w_quality != ONE:
        problems.append(Problem(N_("The price and quality weights must add up to 1 (%(price)s + %(quality)s = "
                                   "%(sum)s)."), {"price": w_price, "quality": w_quality, "sum": w_price + w_quality},
                                field=f"{where}.w_price"))
    if max_awards < 1:
        problems.append(Problem(N_("At least one provider is awarded a lot."), field=f"{where}.max_awards"))
    return problems


def _period_problems(start: date | None, end: date | None, max_end: date | None) -> list[Problem]:
    problems = []
    if start and end and end < start:
        problems.append(Problem(N_("The contracts cannot end (%(end)s) before they start (%(start)s)."),
                                {"end": end, "start": start}, field="contract_end_date"))
    if end and max_end and max_end < end:
        problems.append(Problem(N_("The extension option (%(max_end)s) cannot end before the contracts end "
                                   "(%(end)s)."), {"max_end": max_end, "end": end}, field="contract_max_end_date"))
    return problems


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise contract_register.ContractRefused(problems)


def create_tender(session: Session, actor: Actor, viewer: Viewer, terms: TenderTerms, now: datetime) -> Tender:
    """Enter a draft tender with its lots; every problem is refused at once, nothing stored."""
    _require_procurement(viewer)
    problems, programmes = _lot_problems(session, terms.lots)
    if not terms.title.strip():
        problems.insert(0, Problem(N_("Give the tender a title."), field="title"))
    if terms.procedure not in PROCEDURES:
        problems.append(_PROCEDURE_PROBLEM)
    if terms.contract_kind not in ("special_effort", "framework"):
        problems.append(_KIND_PROBLEM)
    problems += _period_problems(terms.contract_start_on, terms.contract_end_on, terms.contract_max_end_on)
    if terms.reference and session.scalar(sa.select(Tender.id).where(Tender.reference == terms.reference)):
        problems.append(Problem(N_("The reference %(reference)s is taken by another tender."),
                                {"reference": terms.reference}, field="reference"))
    _refuse(problems)
    tender = Tender(
        reference=terms.reference
        or next_reference(session, Tender.reference, f"{REFERENCE_PREFIX}-{_today(now).year}-"),
        title=terms.title.strip(), procedure=terms.procedure, contract_kind=terms.contract_kind,
        status="draft", deadline_at=terms.deadline_at, contract_start_on=terms.contract_start_on,
        contract_end_on=terms.contract_end_on,
        contract_max_end_on=terms.contract_max_end_on or terms.contract_end_on, created_at=now,
    )
    session.add(tender)
    session.flush()
    for number, lot in enumerate(terms.lots, start=1):
        programme = programmes[lot.programme]
        session.add(Lot(
            tender_id=tender.id, programme_id=programme.id, number=number,
            title=lot.title.strip() or programme.name_da, estimated_value=lot.estimated_value,
            expected_hours=lot.expected_hours, expected_outcome_rate=lot.expected_outcome_rate,
            w_price=lot.w_price, w_quality=lot.w_quality, max_awards=lot.max_awards,
        ))
    session.flush()
    session.refresh(tender, ["lots"])
    record(session, actor, "tender.created", "tender", tender.id, occurred_at=now, reference=tender.reference,
           lots=[lot.programme for lot in terms.lots])
    return tender


def retender(session: Session, actor: Actor, viewer: Viewer, contract_ids: list[int], now: datetime,
             title: str | None = None, deadline_at: datetime | None = None) -> tuple[Tender, list[Problem]]:
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
            raise DomainError(N_("contract %(reference)s is %(state)s; there is nothing to continue"),
                              "contract_ids", status=409, reference=contract.reference, state=status)
        if contract.successor is not None:
            raise DomainError(N_("Contract %(reference)s already has a successor (%(successor)s)."),
                              "contract_ids", status=409, reference=contract.reference,
                              successor=contract.successor.reference)
        live = session.scalar(
            sa.select(Tender).join(tender_predecessor, tender_predecessor.c.tender_id == Tender.id)
            .where(tender_predecessor.c.contract_id == contract.id, Tender.status.in_(LIVE_STATUSES))
        )
        if live is not None:
            raise DomainError(N_("contract %(reference)s is already being re-tendered in %(tender)s"),
                              "contract_ids", status=409, reference=contract.reference, tender=live.reference)
        olds.append(contract)
    olds.sort(key=lambda c: (c.programme.position, c.end_on, c.id))
    start = max(c.end_on for c in olds) + timedelta(days=1)
    end = date(start.year + 2, start.month, start.day) - timedelta(days=1)
    max_end = date(end.year + 1, end.month, end.day) if not (end.month == 2 and end.day == 29) else end
    by_programme: dict[str, list[Contract]] = {}
    for old in olds:
        by_programme.setdefault(old.programme.code, []).append(old)
    kind = "framework" if any(c.kind != "special_effort" for c in olds) else "special_effort"
    lots = [
        LotTerms(programme=code, title=group[0].programme.name_da,
                 estimated_value=sum((c.ceiling for c in group), Decimal(0)), max_awards=len(group))
        for code, group in by_programme.items()
    ]
    default_title = "Genudbud af " + ", ".join(c.reference for c in olds)
    terms = TenderTerms(title=(title or default_title)[:300], lots=lots, contract_kind=kind,
                        deadline_at=deadline_at, contract_start_on=start, contract_end_on=end,
                        contract_max_end_on=max_end)
    tender = create_tender(session, actor, viewer, terms, now)
    session.execute(tender_predecessor.insert(), [{"tender_id": tender.id, "contract_id": c.id} for c in olds])
    session.flush()
    record(session, actor, "tender.retender_started", "tender", tender.id, occurred_at=now,
           predecessors=[c.reference for c in olds], contract_start_on=start.isoformat())
    for old in olds:
        record(session, actor, "contract.retendered", "contract", old.id, occurred_at=now,
               tender_id=tender.id, tender=tender.reference)
    return tender, succession_warnings(session, tender)


TENDER_FIELDS = ("title", "procedure", "contract_kind", "deadline_at", "contract_start_on",
                 "contract_end_on", "contract_max_end_on")
LOT_FIELDS = ("title", "estimated_value", "expected_hours", "expected_outcome_rate", "w_price", "w_quality",
              "max_awards")


def _require_draft(tender: Tender, now: datetime, template: str) -> None:
    """Refuse with the template ("the tender is %(state)s; only a draft can be …") unless a draft."""
    if tender.status != "draft":
        raise DomainError(template, "status", status=409, state=status_now(tender, now))


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value) if value is not None else None


def update_draft(session: Session, actor: Actor, viewer: Viewer, tender_id: int, changes: dict[str, Any],
                 now: datetime) -> Tender:
    """Change a draft's title, procedure, deadline or contract period."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be changed"))
    unknown = set(changes) - set(TENDER_FIELDS)
    if unknown:
        raise DomainError(N_("%(names)s cannot be changed here"), names=", ".join(sorted(unknown)))
    merged = {name: changes.get(name, getattr(tender, name)) for name in TENDER_FIELDS}
    problems = _period_problems(merged["contract_start_on"], merged["contract_end_on"],
                                merged["contract_max_end_on"])
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
        record(session, actor, "tender.updated", "tender", tender.id, occurred_at=now, changes=changed)
    return tender


def update_lot(session: Session, actor: Actor, viewer: Viewer, tender_id: int, lot_id: int,
               changes: dict[str, Any], now: datetime) -> Lot:
    """Change a draft lot's title, estimated value, expected values, weights or number of awards."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be changed"))
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound(N_("no such lot in this tender"), "lot_id")
    merged = {name: changes.get(name, getattr(lot, name)) for name in LOT_FIELDS}
    _refuse(_lot_value_problems("lot", merged["estimated_value"], merged["expected_hours"],
                                merged["expected_outcome_rate"], merged["w_price"], merged["w_quality"],
                                merged["max_awards"]))
    changed = {}
    for name in LOT_FIELDS:
        if name in changes and getattr(lot, name) != changes[name]:
            changed[name] = [_text(getattr(lot, name)), _text(changes[name])]
            setattr(lot, name, changes[name])
    session.flush()
    if changed:
        record(session, actor, "lot.updated", "tender", tender.id, occurred_at=now, lot=lot.number,
               changes=changed)
    return lot


def publish(session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime) -> Tender:
    """Publish a draft: it needs a lot, a deadline in the future and the contract period."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    _require_draft(tender, now, N_("the tender is %(state)s; only a draft can be published"))
    if not tender.lots:
        raise DomainError(N_("a tender needs at least one lot before it is published"), "lots")
    if tender.deadline_at is None:
        raise DomainError(N_("set the deadline for bids before publishing"), "deadline")
    if tender.deadline_at <= now:
        raise DomainError(N_("the deadline %(deadline)s (Copenhagen time) has passed; set a deadline in the future"),
                          "deadline", deadline=rules.copenhagen_time(tender.deadline_at))
    if tender.contract_start_on is None or tender.contract_end_on is None:
        raise DomainError(N_("set the contract period (start and end) before publishing"), "contract_start_date")
    tender.status, tender.published_at = "published", now
    session.flush()
    record(session, actor, "tender.published", "tender", tender.id, occurred_at=now,
           deadline=rules.copenhagen_time(tender.deadline_at).isoformat())
    return tender


@dataclass(frozen=True)
class BidPrices:
    """A bid's full price terms."""

    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    vat_rate: Decimal = Decimal("0.25")


def submit_bid(session: Session, actor: Actor, viewer: Viewer, tender_id: int, lot_id: int,
               prices: BidPrices, now: datetime) -> Bid:
    """A provider bids on a lot, or revises its bid, while the tender is published and open."""
    if not viewer.is_provider or viewer.provider_id is None:
        raise DomainError(N_("only a provider's staff can bid"), status=403)
    tender = get_tender(session, viewer, tender_id)
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound(N_("no such lot in this tender"), "lot_id")
    status = status_now(tender, now)
    if status == "closed":
        raise DomainError(N_("the deadline for bids was %(deadline)s (Copenhagen time); no bid is accepted after it"),
                          "deadline", status=409, deadline=rules.copenhagen_time(tender.deadline_at))
    if status != "published":
        raise DomainError(N_("the tender is %(state)s; bids are accepted only while it is published"),
                          "status", status=409, state=status)
    problems = [Problem(N_("Must not be negative."), field=name)
                for name in ("monthly_fee", "hourly_rate", "outcome_bonus") if getattr(prices, name) < 0]
    if not Decimal(0) <= prices.vat_rate < ONE:
        problems.append(Problem(N_("The VAT rate is from 0 up to, not including, 100 %."), field="vat_rate"))
    _refuse(problems)
    bid = session.scalar(sa.select(Bid).where(Bid.lot_id == lot.id, Bid.provider_id == viewer.provider_id))
    action = "bid.revised" if bid is not None else "bid.submitted"
    if bid is None:
        bid = Bid(lot_id=lot.id, provider_id=viewer.provider_id)
        session.add(bid)
    bid.monthly_fee, bid.hourly_rate = prices.monthly_fee, prices.hourly_rate
    bid.outcome_bonus, bid.vat_rate, bid.submitted_at = prices.outcome_bonus, prices.vat_rate, now
    session.flush()
    # Sealed: the event names the lot, never a price.
    record(session, actor, action, "bid", bid.id, occurred_at=now, tender_id=tender.id, lot=lot.number)
    return bid


def visible_bids(session: Session, viewer: Viewer, tender: Tender, now: datetime) -> list[Bid]:
    """The tender's bids the viewer may see (see `scope.bids`), by lot and provider."""
    return list(session.scalars(
        scope.bids(viewer, now).join(Lot, Bid.lot_id == Lot.id).where(Lot.tender_id == tender.id)
        .options(selectinload(Bid.provider), selectinload(Bid.lot))
        .order_by(Lot.number, Bid.submitted_at, Bid.id)
    ))


@dataclass(frozen=True)
class LotEvaluation:
    """A lot's ranked table."""

    lot: Lot
    lines: list[tuple[rules.Scored, Bid]]


def evaluation(session: Session, viewer: Viewer, tender: Tender, now: datetime) -> list[LotEvaluation]:
    """Each lot's bids with evaluation price, price and quality points and total, best first.

    Only for staff, and only once the deadline has passed (before it the bids are sealed).
    """
    if viewer.role not in ("procurement", "finance"):
        raise DomainError(N_("only the job centre's staff see the evaluation"), status=403)
    if rules.bids_sealed(tender.deadline_at, now):
        raise DomainError(N_("the bids are sealed until the deadline"), "deadline", status=409)
    bids = visible_bids(session, viewer, tender, now)
    tables = []
    for lot in tender.lots:
        of_lot = {b.id: b for b in bids if b.lot_id == lot.id}
        scored = rules.score_lot(
            [rules.BidTerms(b.id, b.monthly_fee, b.hourly_rate, b.outcome_bonus, b.quality_points,
                            b.submitted_at) for b in of_lot.values()],
            lot.expected_hours, lot.expected_outcome_rate, lot.w_price, lot.w_quality,
        )
        tables.append(LotEvaluation(lot, [(line, of_lot[line.bid_id]) for line in scored]))
    return tables


def evaluate(session: Session, actor: Actor, viewer: Viewer, tender_id: int,
             quality_points: dict[int, Decimal], now: datetime) -> Tender:
    """Enter the evaluators' quality points (0–10) for every bid; the tender becomes `evaluated`.

    Allowed once the deadline has passed and until the award; it may be redone in that time.
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status == "published":
        raise DomainError(N_("the bids are sealed until the deadline, %(deadline)s (Copenhagen time); "
                             "evaluation starts after it"), "status", status=409,
                          deadline=rules.copenhagen_time(tender.deadline_at))
    if status not in ("closed", "evaluated"):
        raise DomainError(N_("the tender is %(state)s; only a closed tender can be evaluated"), "status",
                          status=409, state=status)
    bids = {b.id: b for b in visible_bids(session, viewer, tender, now)}
    if not bids:
        raise DomainError(N_("no bids arrived; there is nothing to evaluate (cancel the tender with a reason)"),
                          "quality_points", status=409)
    problems = []
    for bid_id, points in quality_points.items():
        if bid_id not in bids:
            problems.append(Problem(N_("there is no bid %(bid)s in this tender"), {"bid": bid_id},
                                    field="quality_points"))
        elif not 0 <= points <= rules.MAX_POINTS:
            problems.append(Problem(N_("the quality points of bid %(bid)s must be from 0 to 10"), {"bid": bid_id},
                                    field="quality_points"))
    missing = [b for b in bids.values() if b.id not in quality_points]
    for bid in missing:
        problems.append(Problem(N_("quality points are missing for the bid of %(provider)s (bid %(bid)s) on lot "
                                   "%(lot)s"), {"provider": bid.provider.name, "bid": bid.id, "lot": bid.lot.number},
                                field="quality_points"))
    _refuse(problems)
    for bid_id, points in quality_points.items():
        bids[bid_id].quality_points = points
    tender.status = "evaluated"
    session.flush()
    record(session, actor, "tender.evaluated", "tender", tender.id, occurred_at=now,
           quality_points={str(k): str(v) for k, v in sorted(quality_points.items())})
    return tender


def award(session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime) -> Tender:
    """Award each lot to its best total (a framework lot to its best `max_awards`, ranked).

    The 10-day standstill starts; the contracts may be concluded after it.
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status != "evaluated":
        raise DomainError(N_("the tender is %(state)s; it is awarded only after the evaluation"), "status",
                          status=409, state=status)
    tables = evaluation(session, viewer, tender, now)
    awarded = {}
    for table in tables:
        for line, bid in table.lines:
            bid.award_rank = line.rank if line.rank is not None and line.rank <= table.lot.max_awards else None
            if bid.award_rank is not None:
                awarded.setdefault(table.lot.number, []).append(bid.provider.name)
    if not awarded:
        raise DomainError(N_("no lot has a bid to award"), status=409)
    today = _today(now)
    tender.status, tender.awarded_at = "awarded", now
    tender.standstill_ends_on = rules.standstill_last_day(today)
    session.flush()
    record(session, actor, "tender.awarded", "tender", tender.id, occurred_at=now,
           awarded={str(k): v for k, v in awarded.items()},
           standstill_ends_on=tender.standstill_ends_on.isoformat())
    return tender


def awarded_bids(session: Session, tender: Tender) -> list[Bid]:
    """The awarded bids of a tender, by lot and rank."""
    return list(session.scalars(
        sa.select(Bid).join(Lot, Bid.lot_id == Lot.id)
        .where(Lot.tender_id == tender.id, Bid.award_rank.is_not(None))
        .options(selectinload(Bid.provider), selectinload(Bid.lot).selectinload(Lot.programme))
        .order_by(Lot.number, Bid.award_rank)
    ))


def conclude(session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime) -> Concluded:
    """After the standstill, create a contract from each awarded bid's price terms.

    Each contract is linked to its lot and bid, and to the predecessor of the same programme
    it continues (by rank, when a framework lot replaces several contracts).
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status != "awarded":
        raise DomainError(N_("the tender is %(state)s; contracts are concluded only after the award"),
                          "status", status=409, state=status)
    today = _today(now)
    if today <= tender.standstill_ends_on:
        raise DomainError(N_("the standstill runs to %(end)s; the contracts can be concluded from %(start)s"),
                          "status", status=409, end=tender.standstill_ends_on,
                          start=tender.standstill_ends_on + timedelta(days=1))
    olds = [c for c in predecessors(session, tender) if c.successor is None]
    created, warnings = [], []
    for bid in awarded_bids(session, tender):
        lot = bid.lot
        old = next((c for c in olds if c.programme_id == lot.programme_id), None)
        if old is not None:
            olds.remove(old)
        terms = contract_register.ContractTerms(
            provider_id=bid.provider_id, programme=lot.programme.code, kind=tender.contract_kind,
            start_on=tender.contract_start_on, end_on=tender.contract_end_on,
            max_end_on=tender.contract_max_end_on or tender.contract_end_on,
            monthly_fee=bid.monthly_fee, hourly_rate=bid.hourly_rate, outcome_bonus=bid.outcome_bonus,
            vat_rate=bid.vat_rate, ceiling=lot.estimated_value or Decimal(0),
            title=f"{tender.title}: {lot.title}"[:300], predecessor_id=old.id if old else None,
        )
        new = contract_register.create_contract(session, actor, viewer, terms, today)
        new.contract.lot_id, new.contract.bid_id = lot.id, bid.id
        created.append(new.contract)
        warnings += new.warnings
    for old in olds:
        warnings.append(Problem(N_("Contract %(reference)s has no successor: no awarded bid continues its "
                                   "programme."), {"reference": old.reference}))
    tender.status, tender.concluded_at = "concluded", now
    session.flush()
    record(session, actor, "tender.concluded", "tender", tender.id, occurred_at=now,
           contracts=[c.reference for c in created])
    return Concluded(created, warnings)


def cancel(session: Session, actor: Actor, viewer: Viewer, tender_id: int, reason: str, now: datetime) -> Tender:
    """Cancel a tender in any state before it is concluded; the reason is required."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    reason = (reason or "").strip()
    if status not in rules.CANCELLABLE:
        raise DomainError(N_("the tender is %(state)s and can no longer be cancelled"), "status", status=409,
                          state=status)
    if not reason:
        raise DomainError(N_("a cancellation needs a reason"), "reason")
    tender.status, tender.cancelled_reason = "cancelled", reason[:2000]
    session.flush()
    record(session, actor, "tender.cancelled", "tender", tender.id, occurred_at=now, previous=status,
           reason=tender.cancelled_reason)
    return tender


def history(session: Session, viewer: Viewer, tender: Tender, now: datetime) -> list[AuditEvent]:
    """The tender's audit events a viewer may see; bid events only once the bids are open."""
    if viewer.role not in ("procurement", "finance"):
        return []
    condition = sa.and_(AuditEvent.record_type == "tender", AuditEvent.record_id == tender.id)
    if not rules.bids_sealed(tender.deadline_at, now):
        bid_ids = sa.select(Bid.id).join(Lot, Bid.lot_id == Lot.id).where(Lot.tender_id == tender.id)
        condition = sa.or_(condition, sa.and_(AuditEvent.record_type == "bid", AuditEvent.record_id.in_(bid_ids)))
    return list(session.scalars(sa.select(AuditEvent).where(condition)
                                .order_by(AuditEvent.occurred_at, AuditEvent.id)))


CONTRACT_OCDS_STATUS = {"draft": "pending", "active": "active", "ended": "terminated", "terminated": "terminated"}


def _party(provider) -> ocds.Party:
    return ocds.Party(provider.name, provider.cvr)


def _contract_data(contract: Contract, award_id: str, today: date) -> ocds.ContractData:
    extensions = [a for a in contract.amendments if a.field == "end_on"]
    return ocds.ContractData(
        id=contract.id, reference=contract.reference, award_id=award_id, title=contract.title or contract.reference,
        status=CONTRACT_OCDS_STATUS[contract.status_on(today)], start_on=contract.start_on,
        end_on=contract.end_on, max_end_on=contract.max_end_on, ceiling=contract.ceiling,
        signed_at=contract.created_at, supplier=_party(contract.provider),
        amendments=[ocds.AmendmentData(a.id, a.created_at, a.reason, f"{a.field}: {a.old_value} → {a.new_value}",
                                       date.fromisoformat(a.new_value) if a.field == "end_on" else None)
                    for a in contract.amendments],
        original_end_on=date.fromisoformat(extensions[0].old_value) if extensions else contract.end_on,
    )


def _process_key(contract: Contract, tender_of_lot: dict[int, int]) -> str:
    if contract.lot_id is not None:
        return f"tender-{tender_of_lot[contract.lot_id]}"
    return f"contract-{contract.id}"


def ocds_processes(session: Session, viewer: Viewer, now: datetime) -> list[ocds.Process]:
    """Every published tender and every contract the viewer may see, as OCDS processes.

    Drafts are internal and never exported; bids never are.
    """
    if viewer.role not in ("procurement", "finance"):
        raise DomainError(N_("only the job centre's staff export OCDS"), status=403)
    today = _today(now)
    contracts = list(session.scalars(
        contract_register._with_details(sa.select(Contract)).order_by(Contract.start_on, Contract.id)
    ))
    tender_of_lot = dict(session.execute(sa.select(Lot.id, Lot.tender_id)).all())
    processes = []
    for contract in contracts:
        if contract.lot_id is None:
            award_id = f"award-{contract.id}"
            processes.append(ocds.Process(
                key=f"contract-{contract.id}", tender=None,
                awards=[ocds.AwardData(award_id, None, _party(contract.provider), contract.created_at, "active")],
                contracts=[_contract_data(contract, award_id, today)], awarded_at=contract.created_at,
            ))
    tenders = session.scalars(
        scope.tenders(viewer).where(Tender.published_at.is_not(None))
        .options(selectinload(Tender.lots).selectinload(Lot.programme)).order_by(Tender.published_at, Tender.id)
    ).all()
    for tender in tenders:
        status = status_now(tender, now)
        cancelled_at = None
        if tender.status == "cancelled":
            cancelled_at = session.scalar(sa.select(sa.func.max(AuditEvent.occurred_at)).where(
                AuditEvent.record_type == "tender", AuditEvent.record_id == tender.id,
                AuditEvent.action == "tender.cancelled")) or now
        data = ocds.TenderData(
            id=tender.id, reference=tender.reference, title=tender.title, status=status,
            procedure=tender.procedure, published_at=tender.published_at, deadline_at=tender.deadline_at,
            contract_start_on=tender.contract_start_on, contract_end_on=tender.contract_end_on,
            contract_max_end_on=tender.contract_max_end_on,
            lots=[ocds.LotData(lot.number, lot.title, lot.programme.code, lot.estimated_value) for lot in tender.lots],
            cancelled_at=cancelled_at, cancelled_reason=tender.cancelled_reason,
        )
        awards, award_of_bid = [], {}
        if tender.awarded_at is not None:
            award_status = {"concluded": "active", "cancelled": "cancelled"}.get(tender.status, "pending")
            for bid in awarded_bids(session, tender):
                award_of_bid[bid.id] = f"award-{bid.id}"
                awards.append(ocds.AwardData(award_of_bid[bid.id], bid.lot.number, _party(bid.provider),
                                             tender.awarded_at, award_status, bid.award_rank))
        own = [c for c in contracts if c.lot_id is not None and tender_of_lot[c.lot_id] == tender.id]
        prior = [(_process_key(c, tender_of_lot), c.reference) for c in predecessors(session, tender)]
        processes.append(ocds.Process(
            key=f"tender-{tender.id}", tender=data, awards=awards,
            contracts=[_contract_data(c, award_of_bid.get(c.bid_id, f"award-{c.bid_id}"), today) for c in own],
            awarded_at=tender.awarded_at, prior=prior,
        ))
    return processes
