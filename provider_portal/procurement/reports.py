"""Procurement's review of a monthly report: read the lines, then accept or reject with a reason.

Acceptance locks the report and ends the enrolments of those who exited; a rejection sends it
back to the provider with the reason. Both are the service's decisions and audit events.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from contracts.models import MonthlyReport
from contracts.rules.periods import Month, report_due_on
from contracts.services import DomainError, report_lines, report_review, report_versions, reports
from contracts.services import report_line_pages as line_pages

from .. import clock, transaction
from ..extensions import db
from ..form_fields import PortalForm
from ..i18n import say
from ..milestone_pages import check_share
from ..reads import participants_read
from ..security import actor, allow, viewer
from .views import bp


class AcceptForm(PortalForm):
    """Accept the submitted report: no fields beyond the CSRF token."""


class RejectForm(PortalForm):
    """Send the report back; the provider sees the reason."""

    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[
            DataRequired(_l("Write why the report is rejected, so the provider can correct it.")),
            Length(max=2000, message=_l("The reason may be at most 2,000 characters.")),
        ],
        render_kw={"rows": 3},
    )


def _report(contract_id: int, month: Month) -> MonthlyReport:
    """The newest version of the month's report of a contract the viewer may see, or 404."""
    found = report_versions.newest_report(db.session, viewer(), contract_id, month)
    if found is None:
        abort(404)
    return found


# The reports a reviewer has aids beside: waiting for a decision, or accepted and not invoiced.
REVIEWED = ("submitted", "accepted")


def _shown_lines(report: MonthlyReport) -> dict:
    """The lines the page draws: all of a small report's; a page of a large one's (issue 16),
    with the totals of all its lines summed in SQL. The review aids' per-line tables list the
    same lines in the same order, so one page number serves both."""
    totals = line_pages.line_totals(db.session, report.id)
    if totals.lines <= line_pages.LARGE_MONTH:
        lines = report_lines.stored_lines(db.session, report.id)
        return {"lines": lines, "line_totals": totals, "line_page": None}
    found = line_pages.line_page(
        db.session,
        report.id,
        totals,
        request.args.get("page", 1, type=int) or 1,
        line_pages.LINES_PER_PAGE,
    )
    return {"lines": found.items, "line_totals": totals, "line_page": found}


def _page(report: MonthlyReport, reject_form: RejectForm | None = None, status: int = 200):
    shown = _shown_lines(report)
    lines = shown["lines"]
    # Reading a report's participants is an audit event (GDPR art. 10 data): the lines shown.
    participants_read(
        "procurement.report",
        "monthly_report",
        report.id,
        month=report.month,
        count=len(lines),
    )
    review = None
    if report.status in REVIEWED:
        review = report_review.review(
            db.session,
            report,
            report.contract,
            None if shown["line_page"] is None else [line.id for line in lines],
        )
    return render_template(
        "procurement/report.html",
        report=report,
        contract=report.contract,
        **shown,
        review=review,
        due_on=report_due_on(report.month),
        accept_form=AcceptForm(),
        reject_form=reject_form or RejectForm(),
        today=clock.today(),
    ), status


@bp.route("/contracts/<int:contract_id>/reports/<month:month>")
@allow("procurement")
def report(contract_id: int, month: Month):
    """The report's lines and, while it is submitted, the accept and reject buttons."""
    return _page(_report(contract_id, month))


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/accept", methods=["POST"])
@allow("procurement")
def accept_report(contract_id: int, month: Month):
    """Accept the submitted report: it is locked and its exits end their enrolments."""
    report = _report(contract_id, month)
    if not AcceptForm().validate_on_submit():
        abort(400)
    try:
        reports.accept(db.session, actor(), report, now=clock.now(), check_share=check_share())
    except DomainError as error:
        transaction.rollback()
        flash(say(error), "error")
        return _page(report, status=error.status)
    flash(_("The report is accepted."), "success")
    return redirect(url_for("procurement.report", contract_id=contract_id, month=report.month))


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/reject", methods=["POST"])
@allow("procurement")
def reject_report(contract_id: int, month: Month):
    """Send the submitted report back to the provider with the reason."""
    report = _report(contract_id, month)
    form = RejectForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(report, reject_form=form, status=422)
    try:
        reports.reject(db.session, actor(), report, form.reason.data, now=clock.now())
    except DomainError as error:
        transaction.rollback()
        flash(say(error), "error")
        return _page(report, reject_form=form, status=error.status)
    flash(_("The report is rejected and sent back to the provider."), "success")
    return redirect(url_for("procurement.report", contract_id=contract_id, month=report.month))
