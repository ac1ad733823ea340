"""API calls on tenders: enter, re-tender, publish, bid, evaluate, award, conclude, cancel.

The calls load, act through one service step and commit once; their request and answer
shapes are in `tender_schemas` and `bid_schemas`. Bids are sealed: before the deadline a bid is seen by the
provider that made it and by nobody else.
"""

from __future__ import annotations

from pydantic import BaseModel

from contracts.models import Tender
from contracts.services import contract_register as register
from contracts.services import tenders as service

from ..clock import now
from ..extensions import db
from ..security import actor, viewer
from .bid_schemas import (
    BidIn,
    BidOut,
    EvaluationIn,
    EvaluationLine,
    EvaluationOut,
    LotEvaluationOut,
    milestone_terms,
)
from .contracts import ContractOut
from .declare import operation
from .tender_schemas import (
    READERS,
    STAFF,
    BidderRef,
    CancelIn,
    ConcludedOut,
    LotChange,
    LotIn,
    LotOut,
    RetenderIn,
    TenderChange,
    TenderFilter,
    TenderIn,
    TenderOut,
)


def _evaluation_out(tender: Tender) -> EvaluationOut:
    lots = []
    for table in service.evaluation(db.session, viewer(), tender, now()):
        lot = table.lot
        lots.append(
            LotEvaluationOut(
                lot_id=lot.id,
                number=lot.number,
                programme=lot.programme.code,
                expected_hours=lot.expected_hours,
                expected_outcome_rate=lot.expected_outcome_rate,
                expected_week13_rate=lot.expected_week13_rate,
                expected_week26_rate=lot.expected_week26_rate,
                w_price=lot.w_price,
                w_quality=lot.w_quality,
                max_awards=lot.max_awards,
                lowest_evaluation_price=table.lines[0][0].lowest_price if table.lines else None,
                lines=[
                    EvaluationLine(
                        bid_id=bid.id,
                        provider=BidderRef(id=bid.provider.id, name=bid.provider.name),
                        monthly_fee=bid.monthly_fee,
                        hourly_rate=bid.hourly_rate,
                        outcome_bonus=bid.outcome_bonus,
                        milestones=milestone_terms(bid),
                        evaluation_price=line.evaluation_price,
                        price_points=line.price_points,
                        quality_points=line.quality_points,
                        quality_reason=bid.quality_reason,
                        total=line.total,
                        rank=line.rank,
                        awarded=bid.award_rank is not None,
                    )
                    for line, bid in table.lines
                ],
            )
        )
    return EvaluationOut(tender_id=tender.id, status=service.status_now(tender, now()), lots=lots)


def _fresh(tender_id: int) -> TenderOut:
    db.session.expire_all()
    return TenderOut.of(service.get_tender(db.session, viewer(), tender_id))


def _values(model: BaseModel, only_sent: bool = False) -> dict:
    """The validated values as Python objects (model_dump would write money and dates as text)."""
    names = model.model_fields_set if only_sent else type(model).model_fields
    return {name: getattr(model, name) for name in names}


def _lots(lots: list[LotIn]) -> list[service.LotTerms]:
    return [service.LotTerms(**_values(lot)) for lot in lots]


@operation(
    "GET",
    "/tenders",
    summary="List tenders",
    roles=READERS,
    tag="tenders",
    query=TenderFilter,
    response=TenderOut,
    paged=True,
    response_description="A page of the tenders you may see, newest first",
)
def list_tenders(query: TenderFilter, page: int, per_page: int):
    """Staff see every tender; a provider user the tenders that have been published."""
    listed = service.tender_page(db.session, viewer(), now(), query.status, page, per_page)
    return listed.mapped(TenderOut.of)


@operation(
    "POST",
    "/tenders",
    summary="Enter a tender (draft)",
    roles=("procurement",),
    tag="tenders",
    body=TenderIn,
    response=TenderOut,
    status=201,
    response_description="The draft tender",
)
def create_tender(body: TenderIn):
    """One lot per programme; every problem is answered at once and nothing is stored."""
    terms = service.TenderTerms(
        title=body.title,
        lots=_lots(body.lots),
        procedure=body.procedure,
        contract_kind=body.contract_kind,
        deadline_at=body.deadline,
        contract_start_on=body.contract_start_date,
        contract_end_on=body.contract_end_date,
        contract_max_end_on=body.contract_max_end_date,
        reference=body.reference,
    )
    tender = service.create_tender(db.session, actor(), viewer(), terms, now())
    return _fresh(tender.id)


@operation(
    "POST",
    "/tenders/retender",
    summary="Re-tender contracts",
    roles=("procurement",),
    tag="tenders",
    body=RetenderIn,
    response=TenderOut,
    status=201,
    response_description="The draft re-tender",
    conflicts="A contract has ended, has a successor or is already being re-tendered.",
    extra_errors=(404,),  # a contract that does not exist, or that the caller may not see
)
def retender(body: RetenderIn):
    """A draft tender with one lot per programme of the contracts, its contracts to start the day
    after they end; `warnings` names any gap or overlap."""
    tender, _ = service.retender(
        db.session, actor(), viewer(), body.contract_ids, now(), body.title, body.deadline
    )
    return _fresh(tender.id)


@operation(
    "GET",
    "/tenders/<int:tender_id>",
    summary="Read a tender",
    roles=READERS,
    tag="tenders",
    response=TenderOut,
    response_description="The tender",
)
def get_tender(tender_id: int):
    """A draft is answered 404 to provider users, as if it did not exist."""
    return TenderOut.of(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "PATCH",
    "/tenders/<int:tender_id>",
    summary="Change a draft tender",
    roles=("procurement",),
    tag="tenders",
    body=TenderChange,
    response=TenderOut,
    response_description="The changed draft",
    conflicts="The tender is no longer a draft.",
)
def change_tender(tender_id: int, body: TenderChange):
    """Only the fields sent are changed."""
    names = {
        "deadline": "deadline_at",
        "contract_start_date": "contract_start_on",
        "contract_end_date": "contract_end_on",
        "contract_max_end_date": "contract_max_end_on",
    }
    changes = {names.get(k, k): v for k, v in _values(body, only_sent=True).items()}
    service.update_draft(db.session, actor(), viewer(), tender_id, changes, now())
    return _fresh(tender_id)


@operation(
    "PATCH",
    "/tenders/<int:tender_id>/lots/<int:lot_id>",
    summary="Change a draft's lot",
    roles=("procurement",),
    tag="tenders",
    body=LotChange,
    response=LotOut,
    response_description="The changed lot",
    conflicts="The tender is no longer a draft.",
)
def change_lot(tender_id: int, lot_id: int, body: LotChange):
    """Only the fields sent are changed; the weights must still add up to 1."""
    lot = service.update_lot(
        db.session, actor(), viewer(), tender_id, lot_id, _values(body, only_sent=True), now()
    )
    return LotOut.of(lot)


def _step(name: str, summary: str, conflicts: str, doc: str):
    def view(tender_id: int):
        getattr(service, name)(db.session, actor(), viewer(), tender_id, now())
        return _fresh(tender_id)

    view.__name__ = f"{name}_tender"
    view.__doc__ = doc
    return operation(
        "POST",
        f"/tenders/<int:tender_id>/{name}",
        summary=summary,
        roles=("procurement",),
        tag="tenders",
        response=TenderOut,
        response_description="The tender after the step",
        conflicts=conflicts,
        extra_errors=(422,),  # what the tender lacks for the step (a lot, a deadline, ...)
    )(view)


_step(
    "publish",
    "Publish a draft tender",
    "The tender is not a draft.",
    "Needs at least one lot, a deadline in the future and the contract period (422 otherwise).",
)
_step(
    "award",
    "Award the lots",
    "The tender has not been evaluated.",
    "Each lot goes to its best total (a framework lot to its best ranked); the 10-day standstill starts.",
)


@operation(
    "POST",
    "/tenders/<int:tender_id>/cancel",
    summary="Cancel a tender",
    roles=("procurement",),
    tag="tenders",
    body=CancelIn,
    response=TenderOut,
    response_description="The cancelled tender",
    conflicts="The tender is concluded or already cancelled.",
)
def cancel_tender(tender_id: int, body: CancelIn):
    """Any state before `concluded`; the reason is required."""
    service.cancel(db.session, actor(), viewer(), tender_id, body.reason, now())
    return _fresh(tender_id)


@operation(
    "PUT",
    "/tenders/<int:tender_id>/lots/<int:lot_id>/bid",
    summary="Bid on a lot (or revise the bid)",
    roles=("provider",),
    tag="tenders",
    body=BidIn,
    response=BidOut,
    response_description="Your bid",
    conflicts="The tender is not open for bids (not published, or the deadline has passed).",
)
def put_bid(tender_id: int, lot_id: int, body: BidIn):
    """Sealed until the deadline: nobody but your own provider's staff sees it before then. On a
    lot that asks for milestone prices the bid gives the week13 and week26 amounts (422 without)."""
    prices = service.BidPrices(
        body.monthly_fee,
        body.hourly_rate,
        body.outcome_bonus,
        body.vat_rate,
        tuple((m.code, m.amount) for m in body.milestones),
    )
    bid = service.submit_bid(db.session, actor(), viewer(), tender_id, lot_id, prices, now())
    return BidOut.of(bid)


@operation(
    "GET",
    "/tenders/<int:tender_id>/bids",
    summary="List a tender's bids",
    roles=READERS,
    tag="tenders",
    response=BidOut,
    paged=True,
    response_description="A page of the bids you may see, by lot",
)
def list_bids(tender_id: int, page: int, per_page: int):
    """A provider user sees its own provider's bids; staff see every bid once the deadline has passed,
    none before it."""
    tender = service.get_tender(db.session, viewer(), tender_id)
    listed = service.bid_page(db.session, viewer(), tender, now(), page, per_page)
    return listed.mapped(BidOut.of)


@operation(
    "GET",
    "/tenders/<int:tender_id>/evaluation",
    summary="The evaluation table",
    roles=STAFF,
    tag="tenders",
    response=EvaluationOut,
    response_description="Every lot's bids, ranked, with the arithmetic",
    conflicts="The bids are sealed until the deadline.",
)
def get_evaluation(tender_id: int):
    """Evaluation price, price points, quality points and total of every bid, best first."""
    return _evaluation_out(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "POST",
    "/tenders/<int:tender_id>/evaluation",
    summary="Enter the quality points",
    roles=("procurement",),
    tag="tenders",
    body=EvaluationIn,
    response=EvaluationOut,
    response_description="The ranked table",
    conflicts="Before the deadline, or after the award.",
)
def evaluate_tender(tender_id: int, body: EvaluationIn):
    """Quality points 0–10 and the evaluators' written reason for every bid; may be redone until
    the award."""
    scores = {
        item.bid_id: service.QualityScore(item.points, item.reason) for item in body.quality_points
    }
    service.evaluate(db.session, actor(), viewer(), tender_id, scores, now())
    db.session.flush()
    db.session.expire_all()
    return _evaluation_out(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "POST",
    "/tenders/<int:tender_id>/conclude",
    summary="Conclude the contracts",
    roles=("procurement",),
    tag="tenders",
    response=ConcludedOut,
    response_description="The contracts created from the awarded bids",
    conflicts="The tender is not awarded, or the standstill has not ended.",
)
def conclude_tender(tender_id: int):
    """One contract per awarded bid with its price terms, linked to the lot, the bid and the contract
    it continues."""
    concluded = service.conclude(db.session, actor(), viewer(), tender_id, now())
    ids = [c.id for c in concluded.contracts]
    tender = _fresh(tender_id)
    contracts = [ContractOut.of(register.get_contract(db.session, viewer(), i)) for i in ids]
    return ConcludedOut(
        tender=tender, contracts=contracts, warnings=[w.message for w in concluded.warnings]
    )
