"""API calls for the ERP's posting lines (DESIGN.md §6, §8): finance reads the lines of the
approved invoices and credit notes issued in a date range, as JSON pages or as one CSV."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from contracts.models.invoices import INVOICE_KINDS
from contracts.services import postings

from .. import downloads
from ..extensions import db
from ..posting_accounts import posting_accounts
from ..security import actor, viewer
from .declare import operation
from .types import CvrText, IsoDate, Model, Money, MonthText, ProgrammeCode


class PostingRange(Model):
    """The days the lines were issued on, both included: at most 400 days, `to` not before `from`."""

    start: IsoDate = Field(alias="from", description="The first issue date (YYYY-MM-DD)")
    end: IsoDate = Field(alias="to", description="The last issue date (YYYY-MM-DD), included")


class PostingOut(BaseModel):
    """One posting line; a credit note's amounts are negative, so the lines sum to what was spent."""

    date: dt.date = Field(description="The issue date")
    number: str = Field(description="The invoice or credit note number")
    kind: Literal[INVOICE_KINDS] = Field(description="invoice or credit_note")  # type: ignore[valid-type]
    provider_cvr: CvrText
    provider_name: str
    contract_reference: str
    month: MonthText = Field(description="The month the service was delivered in (YYYY-MM)")
    programme: ProgrammeCode = Field(description="The programme code")
    account: str = Field(description="The account string in the municipal chart of accounts")
    cost_centre: str
    net: Money
    vat: Money
    total: Money
    text: str

    @classmethod
    def of(cls, line: postings.PostingLine) -> PostingOut:
        return cls(
            date=line.issued_on,
            number=line.number,
            kind=line.kind,
            provider_cvr=line.provider_cvr,
            provider_name=line.provider_name,
            contract_reference=line.contract_reference,
            month=line.month,
            programme=line.programme,
            account=line.account,
            cost_centre=line.cost_centre,
            net=line.net,
            vat=line.vat,
            total=line.total,
            text=line.text,
        )


# What both calls declare alike: finance's, over a date range.
RANGE_CALL = {
    "roles": postings.READERS,
    "tag": "invoices",
    "query": PostingRange,
    "conflicts": "A programme in the range has no configured account string.",
}


@operation(
    "GET",
    "/postings",
    summary="List the posting lines of a date range",
    response=PostingOut,
    paged=True,
    response_description="A page of the posting lines, by issue date",
    **RANGE_CALL,
)
def list_postings(query: PostingRange, page: int, per_page: int):
    """Approved invoices and credit notes whose issue date lies in the range, both ends included.
    422 for a range that ends before it starts or covers more than 400 days."""
    found = postings.postings_page(
        db.session, viewer(), posting_accounts(), query.start, query.end, page, per_page
    )
    return found.mapped(PostingOut.of)


@operation(
    "GET",
    "/postings.csv",
    summary="The posting lines of a date range as CSV",
    response=None,
    media_type="text/csv",
    response_description="The lines as Danish Excel opens them: UTF-8 with BOM, ';', decimal "
    "commas, DD-MM-YYYY dates; credit notes negative",
    **RANGE_CALL,
)
def postings_csv(query: PostingRange):
    """The same lines as the list call, all of them; the export is an audit event."""
    data = postings.postings_csv(
        db.session, actor(), viewer(), posting_accounts(), query.start, query.end
    )
    name = f"konteringer-{query.start.isoformat()}-{query.end.isoformat()}.csv"
    return downloads.attachment(data, "text/csv; charset=utf-8", name)
