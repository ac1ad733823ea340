"""Referring a citizen to a contract by CPR number (DESIGN.md §5).

The CPR number is checked, turned into the keyed pseudonym and forgotten: it is never
stored, logged or written back, not even in an error message.
"""

from __future__ import annotations

from flask import current_app
from pydantic import BaseModel, Field, field_validator

from contracts.services.referrals import refer

from ..extensions import db
from ..security import actor
from .declare import operation
from .types import CPR_PATTERN, Id, IsoDate, Model, written_as


class ReferralIn(Model):
    """The citizen's CPR number, the contract and the first day (a past day is allowed)."""

    cpr: str = Field(
        description="DDMMYY-SSSS or DDMMYYSSSS; never stored",
        json_schema_extra={"writeOnly": True, "pattern": CPR_PATTERN},
    )

    @field_validator("cpr")
    @classmethod
    def _cpr(cls, value: str) -> str:
        # The date and check of the number are the service's; here only its form.
        return written_as(value, CPR_PATTERN, "DDMMYY-SSSS or DDMMYYSSSS")

    contract_id: Id
    start_date: IsoDate


class ReferralOut(BaseModel):
    """The participant's reference (what providers use) and the new enrolment."""

    participant_ref: str
    enrolment_id: int


@operation(
    "POST",
    "/referrals",
    summary="Refer a citizen to a contract",
    roles=("procurement",),
    tag="referrals",
    body=ReferralIn,
    response=ReferralOut,
    status=201,
    response_description="The participant's reference",
    conflicts="The contract has ended or was terminated.",
    extra_errors=(404,),
)
def create_referral(body: ReferralIn):
    """422 for a bad CPR number, the programme's age rule or a second open enrolment."""
    key = current_app.config["PSEUDONYM_KEY"].encode("utf-8")
    referral = refer(db.session, actor(), body.cpr, body.contract_id, body.start_date, key)
    return ReferralOut(participant_ref=referral.participant_ref, enrolment_id=referral.enrolment_id)
