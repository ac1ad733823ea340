"""API calls that change a signed contract: the extension by amendment."""

from __future__ import annotations

from pydantic import Field

from contracts.services import contract_register as register
from contracts.services.contract_changes import extend

from ..clock import now, today
from ..extensions import db
from ..security import actor, viewer
from .contracts import ContractOut
from .declare import operation
from .types import IsoDate, Model


class ExtensionIn(Model):
    """The new end date and why."""

    end_date: IsoDate = Field(description="The new last day; at most the extension option's date")
    reason: str = Field(min_length=1, max_length=2000)


@operation(
    "POST",
    "/contracts/<int:contract_id>/extend",
    summary="Extend a contract",
    roles=("procurement",),
    tag="contracts",
    body=ExtensionIn,
    response=ContractOut,
    response_description="The extended contract",
    conflicts="The contract has ended or was terminated.",
)
def extend_contract(contract_id: int, body: ExtensionIn):
    """Moves the end date by an amendment (old and new date, reason, who, when). Refused with the
    reason (422) past the extension option or not after the current end date."""
    day = today()
    contract = register.get_contract(db.session, viewer(), contract_id)
    extend(db.session, actor(), contract, body.end_date, body.reason, day, now())
    db.session.flush()
    db.session.expire_all()
    return ContractOut.of(register.get_contract(db.session, viewer(), contract_id))
