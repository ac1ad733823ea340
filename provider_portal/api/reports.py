"""API calls on monthly reports: send (CSV or JSON), read, submit, accept and reject.

The body of PUT goes through the same reader and rules as the page's form and file upload
(`contracts.rules.report_format`, `contracts.services.reports`), so all three ways in give
the same stored report.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask import abort, request
from pydantic import BaseModel, Field

from contracts.models import Contract, MonthlyReport
from contracts.models.reports import REPORT_STATUSES
from contracts.rules.exits import EXIT_REASONS
from contracts.rules.periods import Month
from contracts.rules.problems import N_, InputRejected, Problem
from contracts.rules.report_format import read_json
from contracts.rules.report_xlsx import XLSX, read_upload
from contracts.services import DomainError, NotFound, contract_register, report_versions, reports
from contracts.services.report_claims import stored_follow_ups
from contracts.services.report_lines import stored_lines
from contracts.services.report_templates import month_template

from .. import clock
from ..clock import today
from ..extensions import db
from ..milestone_pages import check_share
from ..reads import participants_read
from ..report_template_files import template_response
from ..report_vocabulary import report_words
from ..security import actor, viewer
from .declare import operation
from .types import Model, MonthText

READERS = ("procurement", "finance", "provider")
ROUTE = "/contracts/<int:contract_id>/reports/<month:month>"


class ReportLineOut(BaseModel):
    """A stored line, by the §4 names; hours as decimal strings with two decimals."""

    participant_ref: str
    hours_planned: str
    hours_delivered: str
    absence_hours: str | None
    status: Literal["active", "exited"]
    exit_date: date | None
    exit_reason: Literal[EXIT_REASONS] | None  # type: ignore[valid-type]


class FollowUpOut(BaseModel):
    """A follow-up line: a milestone claimed for a participant who left earlier (made as a claim
    when the report is accepted), by the README's names."""

    participant_ref: str
    milestone: Literal["week13", "week26"]
    employer: str = Field(description="The employer's CVR number or the education institution")
    started_on: date
    weekly_hours: str


class ReportOut(BaseModel):
    """A contract's report for a month (its newest version)."""

    contract_id: int
    month: MonthText
    status: Literal[REPORT_STATUSES]  # type: ignore[valid-type]
    version: int
    submitted_at: datetime | None
    rejection_reason: str | None
    lines: list[ReportLineOut]
    follow_ups: list[FollowUpOut] = []


class StatusOut(BaseModel):
    status: Literal[REPORT_STATUSES]  # type: ignore[valid-type]
    version: int


class RejectIn(Model):
    """Why the report goes back to the provider."""

    reason: str = Field(min_length=1, max_length=2000, examples=["Timerne for DL-9XW3M mangler."])


def _contract(contract_id: int) -> Contract:
    """The contract if the caller may see it; 404 otherwise (never 403: existence is not told)."""
    try:
        return contract_register.get_contract(db.session, viewer(), contract_id)
    except NotFound:
        abort(404)


def _report(contract: Contract, month: Month) -> MonthlyReport:
    report = report_versions.latest_report(db.session, contract.id, month)
    if report is None:
        raise DomainError(N_("There is no report for %(month)s yet."), status=404, month=month)
    return report


def report_out(report: MonthlyReport) -> ReportOut:
    # The report was found through its contract, which the caller may see.
    lines = stored_lines(db.session, report.id)
    return ReportOut(
        contract_id=report.contract_id,
        month=report.month,
        status=report.status,
        version=report.version,
        submitted_at=report.submitted_at,
        rejection_reason=report.rejection_reason,
        lines=[
            ReportLineOut(
                participant_ref=line.participant.ref,
                hours_planned=str(line.hours_planned),
                hours_delivered=str(line.hours_delivered),
                absence_hours=None if line.absence_hours is None else str(line.absence_hours),
                status=line.status,
                exit_date=line.exit_on,
                exit_reason=line.exit_reason,
            )
            for line in lines
        ],
        follow_ups=[
            FollowUpOut(
                participant_ref=f.participant_ref,
                milestone=f.milestone,
                employer=f.employer,
                started_on=f.started_on,
                weekly_hours=str(f.weekly_hours),
            )
            for f in stored_follow_ups(db.session, report.id)
        ],
    )


CSV_EXAMPLE = (
    "deltager;timer_planlagt;timer_leveret;fravær_timer;status;afgangsdato;afgangsårsag\r\n"
    "DL-4Q7K2;148;131,5;16,5;aktiv;;\r\n"
)


@operation(
    "PUT",
    ROUTE,
    summary="Send the month's report (CSV, xlsx or JSON)",
    roles=("provider",),
    tag="reports",
    response=ReportOut,
    response_description="The stored draft, its lines in the order sent",
    conflicts="The report is submitted, accepted or locked",
    extra_errors=(413, 415, 422),
    raw_body={
        "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["lines"],
                "properties": {"lines": {"type": "array", "items": {"type": "object"}}},
            }
        },
    },
)
def put_report(contract_id: int, month: Month):
    """One line per participant enrolled in the month; a report with any bad line is refused
    whole with every problem (line, column, reason) and the report before it unchanged. Column
    names and values may be written as the pages show them (Danish or English). A file body is
    read by its content: an xlsx workbook (the first sheet) or CSV text; a workbook with macros,
    an encrypted or damaged one is refused with 422 (413 beyond 10 MB or unpacked beyond 64 MB).
    An invoiced report is corrected by sending it again: a new version. Follow-up lines (status
    follow_up, with milestone, employer, started_on and weekly_hours; see the README) claim a
    later milestone for a participant who left earlier, made when the report is accepted."""
    contract = _contract(contract_id)
    data = request.get_data(cache=False)  # 413 beyond the size limit
    if request.mimetype in ("application/json",) or request.mimetype.endswith("+json"):
        read = read_json(data, report_words())
    elif request.mimetype in (
        "text/csv",
        "text/plain",
        "application/csv",
        "application/octet-stream",
        XLSX,
        "",
    ):
        read = read_upload(data, report_words())
    else:
        raise InputRejected(
            [Problem("send the report as text/csv, an xlsx workbook or application/json")],
            status=415,
        )
    report = reports.save_draft(db.session, actor(), contract, month, read, today(), source="api")
    return report_out(report)


@operation(
    "GET",
    ROUTE + "/template.csv",
    summary="The month's report template as CSV",
    roles=("provider",),
    tag="reports",
    response=None,
    media_type="text/csv",
    response_description="Every participant to report, exits already known filled in, hours "
    "empty: ';'-separated UTF-8 with BOM, Danish headers as the pages show them",
)
def get_report_template_csv(contract_id: int, month: Month):
    """As Danish Excel opens it; send it back filled in with PUT. Another provider's contract, or
    a month the contract is not reported for, is 404."""
    return _template(contract_id, month, "csv")


@operation(
    "GET",
    ROUTE + "/template.xlsx",
    summary="The month's report template as an Excel workbook",
    roles=("provider",),
    tag="reports",
    response=None,
    media_type=XLSX,
    response_description="Every participant to report, exits already known filled in, hours "
    "empty, with lists to choose status and exit reason from",
)
def get_report_template_xlsx(contract_id: int, month: Month):
    """One sheet with a header row; send it back filled in with PUT."""
    return _template(contract_id, month, "xlsx")


def _template(contract_id: int, month: Month, kind: str):
    try:
        template = month_template(db.session, viewer(), actor(), contract_id, month, today())
    except NotFound:
        abort(404)
    return template_response(template, kind)


@operation(
    "GET",
    ROUTE,
    summary="Read the month's report",
    roles=READERS,
    tag="reports",
    response=ReportOut,
    response_description="The newest version of the report",
)
def get_report(contract_id: int, month: Month):
    """The newest version, with its lines as stored. Reading its participants is audited
    (once per user, report and day)."""
    report = _report(_contract(contract_id), month)
    participants_read("api.get_report", "monthly_report", report.id)
    return report_out(report)


@operation(
    "POST",
    ROUTE + "/submit",
    summary="Submit the draft for review",
    roles=("provider",),
    tag="reports",
    response=StatusOut,
    response_description="Submitted",
    conflicts="Only a draft can be submitted",
    extra_errors=(422,),
)
def submit_report(contract_id: int, month: Month):
    """Sends the draft to procurement; it cannot be changed while it waits. Only once the month
    has ended (from the 1st of the next month): before, 422 naming that day."""
    report = _report(_contract(contract_id), month)
    reports.submit(db.session, actor(), report, now=clock.now())
    return StatusOut(status=report.status, version=report.version)


@operation(
    "POST",
    ROUTE + "/accept",
    summary="Accept a submitted report",
    roles=("procurement",),
    tag="reports",
    response=StatusOut,
    response_description="Accepted and locked",
    conflicts="Only a submitted report can be accepted",
)
def accept_report(contract_id: int, month: Month):
    """Locks the report; its exits end their enrolments and its follow-up lines become
    milestone claims, checked again today: 409 with every problem when one no longer holds (a
    relapse or a claim recorded since), and the report stays submitted."""
    report = _report(_contract(contract_id), month)
    reports.accept(db.session, actor(), report, now=clock.now(), check_share=check_share())
    return StatusOut(status=report.status, version=report.version)


@operation(
    "POST",
    ROUTE + "/reject",
    summary="Send a submitted report back",
    roles=("procurement",),
    tag="reports",
    body=RejectIn,
    response=StatusOut,
    response_description="Rejected with the reason",
    conflicts="Only a submitted report can be rejected",
)
def reject_report(contract_id: int, month: Month, body: RejectIn):
    """The provider sees the reason and can send a corrected report."""
    report = _report(_contract(contract_id), month)
    reports.reject(db.session, actor(), report, body.reason, now=clock.now())
    return StatusOut(status=report.status, version=report.version)
