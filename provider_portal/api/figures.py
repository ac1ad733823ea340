"""The effort's figures as of a day (DESIGN.md §3, §8): from enrolments and confirmed exits.

The scores (`/api/v1/scores`) are a month's figures as the aggregation wrote them; these are
the figures of one day as the enrolments stand now, so an exit notice confirmed this morning
counts before any monthly report. Who may ask for what is as for the scores: procurement and
finance every scope, a provider its own provider and contracts (the whole effort and the
programmes are refused with 403), and a scope the viewer may not see is not found (404).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from contracts.rules.problems import N_
from contracts.services import DomainError
from contracts.services.figures import figures_as_of

from .. import clock
from ..extensions import db
from ..security import viewer
from .declare import operation
from .types import MAX_ID, IsoDate, Model


class FiguresQuery(Model):
    """Which figures: a scope (and its id) and the day, today when left out."""

    scope: Literal["all", "programme", "provider", "contract"] = "all"
    id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The programme, provider or contract"
    )
    on: IsoDate | None = Field(
        default=None, description="The day, YYYY-MM-DD: today or earlier (today when left out)"
    )


# The sustained shares (DESIGN §7, §15), in the figures as of a day and in a month's scores.
Sustained13 = Annotated[
    str | None,
    Field(
        description="Share of the positive exits old enough at the period's end (the day, or the "
        "month's end: exit + 91 days on or before it) whose job or education verifiably lasted "
        "13 weeks, on contracts paying that milestone; null where none does, in a month alone, "
        "and until an exit is old enough"
    ),
]
Sustained26 = Annotated[str | None, Field(description="The same for 26 weeks (exit + 182 days)")]
ShareInterval = Annotated[list[float] | None, Field(description="Its 95 % Wilson interval")]


class FiguresOut(BaseModel):
    """The figures as of the end of the day `on`; exits split by the categories of DESIGN.md §7."""

    scope: str
    id: int | None
    on: IsoDate
    participants: int = Field(description="Distinct citizens enrolled in the scope since the start")
    active: int = Field(description="Citizens enrolled at the end of the day")
    exits: int = Field(description="Exits on or before the day; a transfer is never an exit")
    positive: int
    benefit_stopped: int
    other: int
    sustained_13: Sustained13
    sustained_13_ci: ShareInterval
    sustained_26: Sustained26
    sustained_26_ci: ShareInterval


@operation(
    "GET",
    "/figures",
    summary="The effort's figures as of a day",
    roles=("procurement", "finance", "provider"),
    tag="scores",
    query=FiguresQuery,
    response=FiguresOut,
    response_description="Participants, active and exits as of the day, from the enrolments",
    extra_errors=(404,),  # a scope's id that names nothing the caller may see
)
def get_figures(query: FiguresQuery):
    """From enrolments and their ends (an accepted report's exit or a confirmed exit notice).

    A day after today is refused (422): what happens after today is not known yet.
    """
    today = clock.today()
    on = today if query.on is None else query.on
    if on > today:
        raise DomainError(
            N_("The figures are known up to today, %(today)s."), "on", today=today.isoformat()
        )
    totals = figures_as_of(db.session, viewer(), on, query.scope, query.id)
    return FiguresOut(
        scope=query.scope,
        id=None if query.scope == "all" else query.id,
        on=on,
        participants=totals.participants,
        active=totals.active,
        exits=totals.exits,
        positive=totals.positive,
        benefit_stopped=totals.benefit_stopped,
        other=totals.other,
        **totals.sustained.as_json(),
    )
