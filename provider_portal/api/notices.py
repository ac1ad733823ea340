"""API calls on notices during the month (DESIGN.md §3, §8): a provider records exit and absence
notices of its participants; procurement lists them and confirms or rejects exit notices.

A provider reads only its own notices: another provider's notice or contract is not found
(404). Confirming and rejecting are procurement's; every other role is refused (403).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from contracts.models import Notice
from contracts.models.notices import NOTICE_STATUSES
from contracts.rules.exits import EXIT_REASONS
from contracts.rules.notice_checks import NOTICE_KINDS
from contracts.services import notices
from contracts.services.notice_lists import ExitsDisagree

from .. import clock
from ..errors import api_error
from ..extensions import db
from ..reads import participants_read
from ..security import actor, viewer
from .blueprint import bp
from .declare import operation
from .types import MAX_ID, IsoDate, Model, Month

READERS = ("procurement", "finance", "provider")
REASONS = Literal[EXIT_REASONS]  # the exit reasons of DESIGN.md §4, listed in the schema


HOURS_PATTERN = r"^\d{1,2}(\.\d{1,2})?$"
HOURS_TEXT = re.compile(HOURS_PATTERN, re.ASCII)


def _hours(value: object) -> Decimal:
    # A decimal string ("3.50") as hours are written elsewhere; a JSON number is taken as written.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError('must be a number of hours such as "3.50"')
    if isinstance(value, str) and not HOURS_TEXT.fullmatch(value.strip()):
        raise ValueError(f'{value[:20]!r} is not a number of hours such as "3.50"')
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f'{str(value)[:20]!r} is not a number of hours such as "3.50"') from None
    if not hours.is_finite():
        raise ValueError('must be a number of hours such as "3.50"')
    return hours


Hours = Annotated[
    Decimal,
    BeforeValidator(_hours),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": HOURS_PATTERN, "examples": ["3.50"]},
                {"type": "number", "exclusiveMinimum": 0, "maximum": 12},
            ],
            "examples": ["3.50"],
            "description": "hours as a decimal string (or a JSON number), more than 0 and at "
            "most 12, in hundredths",
        }
    ),
]


class NoticeIn(Model):
    """What happened to whom, and when: an exit with its reason, or an absence with the hours missed."""

    participant_ref: str = Field(min_length=1, max_length=40, examples=["DL-4Q7K2"])
    kind: Literal["exit", "absence"]
    date: IsoDate = Field(description="The day it happened: today or earlier")
    reason: REASONS | None = Field(
        default=None, description="An exit's reason (DESIGN.md §4); required for an exit"
    )
    hours: Hours | None = Field(
        default=None, description="An absence's hours missed; required for an absence"
    )
    note: str | None = Field(default=None, max_length=2000)


class NoticeOut(BaseModel):
    """A notice and where it stands: received, confirmed or rejected (with the reason)."""

    id: int
    contract_id: int
    participant_ref: str
    kind: Literal[NOTICE_KINDS] = Field(description="exit or absence")  # type: ignore[valid-type]
    date: dt.date
    reason: str | None = Field(description="An exit's reason; null for an absence")
    hours: str | None = Field(description='An absence\'s hours missed ("3.50"); null for an exit')
    note: str | None
    status: Literal[NOTICE_STATUSES] = Field(  # type: ignore[valid-type]
        description="received, confirmed or rejected; an absence notice stays received"
    )
    recorded_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str | None

    @classmethod
    def of(cls, notice: Notice) -> NoticeOut:
        return cls(
            id=notice.id,
            contract_id=notice.contract_id,
            participant_ref=notice.participant.ref,
            kind=notice.kind,
            date=notice.on,
            reason=notice.exit_reason,
            hours=None if notice.hours_missed is None else f"{notice.hours_missed:.2f}",
            note=notice.note,
            status=notice.status,
            recorded_at=notice.recorded_at,
            decided_at=notice.decided_at,
            rejection_reason=notice.rejection_reason,
        )


class NoticeListQuery(Model):
    """Optional filters of the notice list (the page is read beside them)."""

    contract_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this contract's"
    )
    kind: Literal["exit", "absence"] | None = Field(
        default=None, description="Only exits or absences"
    )
    status: Literal["received", "confirmed", "rejected"] | None = Field(
        default=None, description="Only notices in this state"
    )
    month: Month | None = Field(default=None, description="Only notices of days in this month")


class NoticeRejectIn(Model):
    """Why the exit notice is rejected; the provider reads it."""

    reason: str = Field(min_length=1, max_length=2000, examples=["Borgeren mødte igen 16-01-2019."])


@bp.errorhandler(notices.NoticeRefused)
@bp.errorhandler(ExitsDisagree)
def _every_problem(error: notices.NoticeRefused | ExitsDisagree):
    # Every problem at once, each with its field (and a report's line), so all are fixed in one go.
    return api_error(error.status, errors=[problem.as_json() for problem in error.problems])


def _answer(notice: Notice) -> NoticeOut:
    return NoticeOut.of(notices.visible_notice(db.session, viewer(), notice.id))


@operation(
    "POST",
    "/contracts/<int:contract_id>/notices",
    summary="Tell of an exit or an absence",
    roles=("provider",),
    tag="notices",
    body=NoticeIn,
    response=NoticeOut,
    status=201,
    response_description="The notice, received",
    conflicts=(
        "The participant's enrolment has ended or already has an exit notice waiting or "
        "confirmed; the month's report is already submitted; the absence of that day is "
        "already recorded."
    ),
    extra_errors=(404,),
)
def create_notice(contract_id: int, body: NoticeIn):
    """422 for a participant not enrolled in the contract on that day, a day to come, an exit
    without a reason or an absence without hours (more than 0, at most 12). Another provider's
    contract is not found."""
    notice = notices.record(
        db.session,
        actor(),
        viewer(),
        contract_id,
        participant_ref=body.participant_ref,
        kind=body.kind,
        on=body.date,
        today=clock.today(),
        reason=body.reason,
        hours=body.hours,
        note=body.note,
    )
    return _answer(notice)


@operation(
    "GET",
    "/notices",
    summary="List notices",
    roles=READERS,
    tag="notices",
    query=NoticeListQuery,
    response=NoticeOut,
    paged=True,
    response_description="A page of the notices you may see, the latest day first",
)
def list_notices(query: NoticeListQuery, page: int, per_page: int):
    """Procurement and finance see every provider's notices; a provider only its own (a filter
    on another provider's contract finds none)."""
    found = notices.notices_page(
        db.session,
        viewer(),
        contract_id=query.contract_id,
        kind=query.kind,
        status=query.status,
        month=query.month,
        page=page,
        per_page=per_page,
    )
    # The list names participants (GDPR art. 10 data): reading it is an audit event.
    participants_read(
        "api.list_notices",
        "notice",
        None,
        count=len(found.items),
    )
    return found.mapped(NoticeOut.of)


@operation(
    "GET",
    "/notices/<int:notice_id>",
    summary="Read a notice",
    roles=READERS,
    tag="notices",
    response=NoticeOut,
    response_description="The notice and where it stands",
    extra_errors=(404,),
)
def get_notice(notice_id: int):
    """Another provider's notice is answered 404, as if it did not exist."""
    return NoticeOut.of(notices.visible_notice(db.session, viewer(), notice_id))


@operation(
    "POST",
    "/notices/<int:notice_id>/confirm",
    summary="Confirm an exit notice",
    roles=("procurement",),
    tag="notices",
    response=NoticeOut,
    response_description="Confirmed: the enrolment has ended on the notice's day",
    conflicts=(
        "The notice is decided already or is an absence notice; the enrolment has ended "
        "otherwise; the month's report is submitted or accepted without this exit."
    ),
    extra_errors=(404,),
)
def confirm_notice(notice_id: int):
    """The enrolment ends on the notice's day with its reason at once, and counts so in the
    figures from then on; the month's report must carry the same exit."""
    notices.visible_notice(db.session, viewer(), notice_id)
    notice = notices.confirm(db.session, actor(), notice_id, now=clock.now())
    return _answer(notice)


@operation(
    "POST",
    "/notices/<int:notice_id>/reject",
    summary="Reject an exit notice",
    roles=("procurement",),
    tag="notices",
    body=NoticeRejectIn,
    response=NoticeOut,
    response_description="Rejected with the reason; nothing else changed",
    conflicts="The notice is decided already or is an absence notice.",
    extra_errors=(404,),
)
def reject_notice(notice_id: int, body: NoticeRejectIn):
    """The provider reads the reason; the participant's enrolment is not changed."""
    notices.visible_notice(db.session, viewer(), notice_id)
    notice = notices.reject(db.session, actor(), notice_id, body.reason, now=clock.now())
    return _answer(notice)
