"""API calls on contracts paid by milestones (DESIGN.md §8, §15): the provider claims that a
participant's job or education lasted 13 or 26 weeks, procurement verifies or rejects, and
either records a relapse.

A provider sees and claims only on its own contracts: another provider's claim or contract is
not found (404). Verifying and rejecting are procurement's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from contracts.models import MilestoneClaim, Relapse
from contracts.rules.milestones import MOST_WEEKLY_HOURS
from contracts.services import milestone_claims as claims
from contracts.services.relapses import RelapseRefused, record_relapse

from .. import clock
from ..errors import api_error
from ..extensions import db
from ..milestone_pages import check_share
from ..reads import participants_read
from ..security import actor, viewer
from .blueprint import bp
from .declare import operation
from .types import MAX_ID, IsoDate, Model

READERS = ("procurement", "finance", "provider")
ClaimStatus = Literal["claimed", "verified", "rejected"]


class Evidence(Model):
    """Where the job or education is, when it started and its weekly hours."""

    employer_cvr: str | None = Field(
        default=None, max_length=20, examples=["10403782"], description="The employer's CVR"
    )
    institution: str | None = Field(
        default=None, max_length=200, description="The education institution, for education"
    )
    started_on: IsoDate = Field(description="The day the job or education started")
    weekly_hours: Decimal = Field(
        gt=0, le=MOST_WEEKLY_HOURS, decimal_places=2, examples=["37.00"], description="Hours a week"
    )


class ClaimIn(Model):
    """A claim that a participant's job or education reached a milestone."""

    participant_ref: str = Field(min_length=1, max_length=40, examples=["DL-4Q7K2"])
    milestone: Literal["week13", "week26"]
    evidence: Evidence


class ClaimOut(BaseModel):
    """A claim and where it stands."""

    id: int
    contract_id: int
    participant_ref: str
    milestone: str
    milestone_date: dt.date = Field(description="started_on + 91 (week13) or + 182 (week26)")
    evidence: dict
    status: ClaimStatus
    check_required: bool = Field(description="Drawn for procurement's check before payment")
    payable_on: dt.date | None = Field(
        description="The day it became payable (paid on the invoice of that month); null while "
        "it waits for its check, and once rejected"
    )
    lapsed: bool = Field(description="The participant relapsed before the milestone's day")
    made_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str | None

    @classmethod
    def of(cls, claim: MilestoneClaim, lapsed: bool = False) -> ClaimOut:
        return cls(
            id=claim.id,
            contract_id=claim.contract_id,
            participant_ref=claim.participant.ref,
            milestone=claim.code,
            milestone_date=claim.milestone_on,
            evidence={
                "employer_cvr": claim.employer_cvr,
                "institution": claim.institution,
                "started_on": claim.started_on.isoformat(),
                "weekly_hours": f"{claim.weekly_hours:.2f}",
            },
            status=claim.status,
            check_required=claim.check_required,
            payable_on=claim.payable_on,
            lapsed=lapsed,
            made_at=claim.made_at,
            decided_at=claim.decided_at,
            rejection_reason=claim.rejection_reason,
        )


class ClaimListQuery(Model):
    """Optional filters of the claim list."""

    contract_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this contract's"
    )
    status: ClaimStatus | None = Field(default=None, description="Only claims in this state")


class ClaimRejectIn(Model):
    """Why the claim is rejected; the provider reads it."""

    reason: str = Field(
        min_length=1, max_length=2000, examples=["Arbejdsgiveren kender ikke borgeren."]
    )


class RelapseIn(Model):
    """A participant back on benefit after leaving for a job or education."""

    participant_ref: str = Field(min_length=1, max_length=40, examples=["DL-4Q7K2"])
    date: IsoDate = Field(description="The day the participant was back on benefit")


class RelapseOut(BaseModel):
    """A recorded relapse."""

    id: int
    contract_id: int
    participant_ref: str
    date: dt.date
    recorded_on: dt.date = Field(
        description="Paid milestones taken back go on this month's invoice"
    )
    recorded_at: dt.datetime

    @classmethod
    def of(cls, relapse: Relapse, ref: str) -> RelapseOut:
        return cls(
            id=relapse.id,
            contract_id=relapse.contract_id,
            participant_ref=ref,
            date=relapse.relapsed_on,
            recorded_on=relapse.recorded_on,
            recorded_at=relapse.recorded_at,
        )


@bp.errorhandler(claims.ClaimRefused)
@bp.errorhandler(RelapseRefused)
def _every_problem(error: claims.ClaimRefused | RelapseRefused):
    return api_error(error.status, errors=[problem.as_json() for problem in error.problems])


def _answer(claim_id: int) -> ClaimOut:
    claim = claims.visible_claim(db.session, viewer(), claim_id)
    return ClaimOut.of(claim, claim.id in claims.lapsed_ids(db.session, [claim.id]))


@operation(
    "POST",
    "/contracts/<int:contract_id>/claims",
    summary="Claim a milestone",
    roles=("provider",),
    tag="milestones",
    body=ClaimIn,
    response=ClaimOut,
    status=201,
    response_description="The claim: payable at once, or waiting for procurement's check",
    extra_errors=(404,),
)
def create_claim(contract_id: int, body: ClaimIn):
    """422 for a milestone the contract does not pay, a participant who did not leave it for a
    job or education, a claim before the milestone's day (started_on + 91 or + 182) or after a
    relapse before it, no employer CVR or institution, or a milestone already claimed."""
    claim = claims.make(
        db.session,
        actor(),
        viewer(),
        contract_id,
        participant_ref=body.participant_ref,
        code=body.milestone,
        employer_cvr=body.evidence.employer_cvr,
        institution=body.evidence.institution,
        started_on=body.evidence.started_on,
        weekly_hours=body.evidence.weekly_hours,
        today=clock.today(),
        now=clock.now(),
        check_share=check_share(),
    )
    return _answer(claim.id)


@operation(
    "GET",
    "/claims",
    summary="List milestone claims",
    roles=READERS,
    tag="milestones",
    query=ClaimListQuery,
    response=ClaimOut,
    paged=True,
    response_description="A page of the claims you may see, oldest first",
)
def list_claims(query: ClaimListQuery, page: int, per_page: int):
    """Procurement and finance see every provider's claims; a provider only its own."""
    found = claims.claims_page(
        db.session,
        viewer(),
        contract_id=query.contract_id,
        status=query.status,
        page=page,
        per_page=per_page,
    )
    participants_read("api.list_claims", "milestone_claim", None, count=len(found.items))
    lapsed = claims.lapsed_ids(db.session, [c.id for c in found.items])
    return found.mapped(lambda claim: ClaimOut.of(claim, claim.id in lapsed))


@operation(
    "GET",
    "/claims/<int:claim_id>",
    summary="Read a milestone claim",
    roles=READERS,
    tag="milestones",
    response=ClaimOut,
    response_description="The claim and where it stands",
    extra_errors=(404,),
)
def get_claim(claim_id: int):
    """Another provider's claim is answered 404, as if it did not exist."""
    return _answer(claim_id)


@operation(
    "POST",
    "/claims/<int:claim_id>/verify",
    summary="Verify a milestone claim",
    roles=("procurement",),
    tag="milestones",
    response=ClaimOut,
    response_description="Verified: a claim drawn for a check is payable from today",
    conflicts="The claim is verified or rejected already.",
    extra_errors=(404,),
)
def verify_claim(claim_id: int):
    """The evidence holds."""
    claims.verify(db.session, actor(), claim_id, clock.today(), clock.now())
    return _answer(claim_id)


@operation(
    "POST",
    "/claims/<int:claim_id>/reject",
    summary="Reject a milestone claim",
    roles=("procurement",),
    tag="milestones",
    body=ClaimRejectIn,
    response=ClaimOut,
    response_description="Rejected: never paid, or taken back on the next invoice if paid",
    conflicts="The claim is rejected already.",
    extra_errors=(404,),
)
def reject_claim(claim_id: int, body: ClaimRejectIn):
    """A verified claim may still be found false later, and rejected."""
    claims.reject(db.session, actor(), claim_id, body.reason, clock.today(), clock.now())
    return _answer(claim_id)


@operation(
    "POST",
    "/contracts/<int:contract_id>/relapses",
    summary="Record a relapse",
    roles=("provider", "procurement"),
    tag="milestones",
    body=RelapseIn,
    response=RelapseOut,
    status=201,
    response_description="The relapse: later milestones lapse, recent paid ones are taken back",
    extra_errors=(404,),
)
def create_relapse(contract_id: int, body: RelapseIn):
    """422 for a participant who did not leave the contract for a job or education, a day to
    come or before the exit, or a relapse already recorded."""
    relapse = record_relapse(
        db.session,
        actor(),
        viewer(),
        contract_id,
        participant_ref=body.participant_ref,
        on=body.date,
        today=clock.today(),
        now=clock.now(),
    )
    return RelapseOut.of(relapse, body.participant_ref.strip())
