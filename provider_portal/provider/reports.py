"""The provider's report page: one contract's month, sent by web form or file, then submitted.

Both ways in end in the same reader (`read_json` for the form, `read_csv` for the file) and
the same service (`contracts.services.reports.save_draft`) as the API, so every stored
report looks the same and a bad report is refused whole with every problem listed.

A month of more than LARGE_MONTH participants is not drawn whole on every view (issue 16): its
web form is on a page of its own (`/form`, whose POST answers there with the problems) and its
stored lines are paged, with the totals of all of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contracts.models import MonthlyReport, ReportLine
from contracts.rules import report_words as report_words_
from contracts.rules.exits import EXIT_REASONS
from contracts.rules.periods import Month
from contracts.rules.problems import InputRejected, Problem
from contracts.rules.report_checks import Enrolled
from contracts.rules.report_format import read_json
from contracts.rules.report_xlsx import read_upload
from contracts.services import DomainError, report_lines, reports
from contracts.services import report_line_pages as line_pages
from contracts.services.report_claims import stored_follow_ups
from contracts.services.report_line_pages import LARGE_MONTH, LINES_PER_PAGE
from contracts.services.report_months import ContractMonth, contract_month

from .. import clock, transaction
from ..extensions import db
from ..i18n import say
from ..reads import participants_read
from ..report_vocabulary import report_words
from ..security import actor, allow, viewer
from .report_form_rows import form_rows
from .report_forms import ReportForm, SubmitForm, UploadForm, posted_lines
from .views import bp

# The column names people see, in the report's own order (DESIGN.md §4): the report words',
# which a file may use as its header too.
COLUMN_LABELS = {column: _l(label) for column, label in report_words_.COLUMN_LABELS.items()}
# An invoiced report is corrected by a new version: a credit note and a new invoice follow.
CORRECTABLE = ("invoiced",)
UPLOAD_ENDPOINT = "provider.upload_report"

bp.add_app_template_global(form_rows, "form_rows")


def stored_lines(report: MonthlyReport | None) -> list[ReportLine]:
    """A report's lines in the order the provider sent them; none before there is a report."""
    return report_lines.stored_lines(db.session, report.id) if report is not None else []


@dataclass(frozen=True)
class ShownProblem:
    """A problem as the page shows it: where, and why in the page's language."""

    line: int | None
    field: str | None
    column: str
    message: str


def shown(problem: Problem) -> ShownProblem:
    """The problem in the page's language, a column it names by the column's label."""
    column = problem.params.get("column")
    if isinstance(column, str) and column in COLUMN_LABELS:
        problem = replace(problem, params={**problem.params, "column": str(COLUMN_LABELS[column])})
    label = str(COLUMN_LABELS[problem.field]) if problem.field in COLUMN_LABELS else ""
    return ShownProblem(problem.line, problem.field, label, say(problem))


def _cell(value, comma: bool = False) -> str:
    """A stored value as the form's field shows it: a day as the date control takes it, hours
    with the decimal comma a Danish page is typed with (the reader takes either)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace(".", ",") if comma else str(value)


def _form_lines(enrolled: list[Enrolled], report: MonthlyReport | None) -> list[dict[str, str]]:
    """The web form's lines, a line per enrolled participant, prefilled from the editable report."""
    by_ref = {}
    if report is not None and report.status in reports.EDITABLE + CORRECTABLE:
        by_ref = report_lines.stored_values(db.session, report.id)
    comma = str(get_locale()) == "da"
    lines = []
    for e in enrolled:
        line = by_ref.get(e.participant_ref)
        lines.append(
            {
                "participant_ref": e.participant_ref,
                "hours_planned": _cell(line.hours_planned, comma) if line else "",
                "hours_delivered": _cell(line.hours_delivered, comma) if line else "",
                "absence_hours": _cell(line.absence_hours, comma) if line else "",
                "status": line.status if line else "active",
                "exit_date": _cell(line.exit_on) if line else "",
                "exit_reason": (line.exit_reason or "") if line else "",
            }
        )
    return lines


def _state(contract_id: int, month: Month) -> ContractMonth:
    """The viewer's contract's month, or 404: another provider's contract does not exist for them,
    nor does a month the contract is not reported for."""
    found = contract_month(db.session, viewer(), contract_id, month, clock.today())
    if found is None:
        abort(404)
    return found


def _shown_problems(problems: list[Problem]) -> dict:
    """The problems in the page's language, those of no line apart and the rest by line."""
    shown_problems = [shown(p) for p in problems]
    by_line: dict[int, list[ShownProblem]] = {}
    for p in shown_problems:
        if p.line is not None:
            by_line.setdefault(p.line, []).append(p)
    return {
        "problems": shown_problems,
        "general_problems": [p for p in shown_problems if p.line is None],
        "problems_by_line": by_line,
    }


def large(state: ContractMonth) -> bool:
    """A month too large to draw whole on every view of its page (issue 16): its web form gets
    a page of its own and its stored lines are paged."""
    return len(state.enrolled) > LARGE_MONTH


def _read_participants(state: ContractMonth, page: str) -> None:
    # Reading the participant list is an audit event (GDPR art. 10 data).
    participants_read(
        page, "contract", state.contract.id, part=state.month, count=len(state.enrolled)
    )


def _stored_table(state: ContractMonth) -> dict:
    """The stored lines the page draws: all of a small month's; a page of a large month's, with
    the totals of all its lines summed in SQL."""
    if not large(state):
        return {"lines": stored_lines(state.report), "line_totals": None, "line_page": None}
    if state.report is None:
        return {"lines": [], "line_totals": None, "line_page": None}
    totals = line_pages.line_totals(db.session, state.report.id)
    found = line_pages.line_page(
        db.session,
        state.report.id,
        totals,
        request.args.get("page", 1, type=int) or 1,
        LINES_PER_PAGE,
    )
    return {"lines": found.items, "line_totals": totals, "line_page": found}


def _page(
    state: ContractMonth,
    *,
    form_lines: list[dict] | None = None,
    problems: list[Problem] = (),
    problem_source: str | None = None,
    read_lines=None,
    status: int = 200,
):
    """Render the page; `problems` are shown by line of the form or of the uploaded file. A large
    month's page links to its form rather than drawing it."""
    _read_participants(state, "provider.report")
    inline_form = changeable(state) and not large(state)
    file_refs = {line.line: line.participant_ref for line in (read_lines or [])}
    return render_template(
        "provider/report.html",
        state=state,
        **_stored_table(state),
        follow_ups=stored_follow_ups(db.session, state.report.id) if state.report else [],
        report_form=ReportForm(),
        form_lines=form_lines
        if form_lines is not None
        else (_form_lines(state.enrolled, state.report) if inline_form else None),
        upload_form=UploadForm(),
        submit_form=SubmitForm(),
        **_shown_problems(problems),
        problem_source=problem_source,
        file_refs=file_refs,
        column_labels=COLUMN_LABELS,
        changeable=changeable(state),
        large=large(state),
        exit_reasons=EXIT_REASONS,
        today=clock.today(),
    ), status


def _form_page(
    state: ContractMonth,
    *,
    form_lines: list[dict] | None = None,
    problems: list[Problem] = (),
    problem_source: str = "form",
    status: int = 200,
):
    """The month's web form on a page of its own, with the problems of a refused send."""
    _read_participants(state, "provider.report_form")
    return render_template(
        "provider/report_form.html",
        state=state,
        report_form=ReportForm(),
        form_lines=form_lines
        if form_lines is not None
        else _form_lines(state.enrolled, state.report),
        **_shown_problems(problems),
        problem_source=problem_source,
        column_labels=COLUMN_LABELS,
        exit_reasons=EXIT_REASONS,
    ), status


def changeable(state: ContractMonth) -> bool:
    """The provider may send the month's lines: a draft, a rejected report, or a correction of
    an invoiced one (a new version)."""
    return state.editable or state.status in CORRECTABLE


def _refuse_change(state: ContractMonth):
    """A report that is submitted, accepted or invoiced is not changed from this page."""
    messages = {
        "submitted": _(
            "The report is waiting for review and cannot be changed now. "
            "If procurement rejects it, you can correct it."
        ),
        "accepted": _("The report is accepted and locked."),
        "invoiced": _("The report is invoiced and locked."),
    }
    flash(messages.get(state.status, _("The report cannot be changed now.")), "error")
    return _page(state, status=409)


def _save(state: ContractMonth, read, source: str):
    """Store the lines read as the month's draft, or raise InputRejected with every problem."""
    reports.save_draft(
        db.session, actor(), state.contract, state.month, read, clock.today(), source=source
    )


@bp.route("/contracts/<int:contract_id>/reports/<month:month>")
@allow("provider")
def report(contract_id: int, month: Month):
    """The month's report: its state, the web form, the file upload and the submit button."""
    return _page(_state(contract_id, month))


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/form")
@allow("provider")
def report_form(contract_id: int, month: Month):
    """The month's web form on its own page; a report that cannot be changed is on its report
    page, which says why."""
    state = _state(contract_id, month)
    if not changeable(state):
        return redirect(url_for("provider.report", contract_id=contract_id, month=state.month))
    return _form_page(state)


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/form", methods=["POST"])
@allow("provider")
def save_report_form(contract_id: int, month: Month):
    """Save the web form's lines as the draft; with any bad line nothing is stored, and the form
    comes back with the problems: on the report page, or a large month's on the form's own page."""
    state = _state(contract_id, month)
    answer = _form_page if large(state) else _page
    if not changeable(state):
        return _refuse_change(state)
    if not ReportForm().validate_on_submit():
        abort(400)
    # The same reader as the API's JSON: a line's position in the form is its line number.
    posted = posted_lines(request.form)
    body = {"lines": posted}
    try:
        _save(state, read_json(body), source="form")
    except InputRejected as error:
        transaction.rollback()
        return answer(
            state,
            form_lines=posted,
            problems=error.problems,
            problem_source="form",
            status=error.status,
        )
    except DomainError as error:
        transaction.rollback()
        flash(_("The report could not be saved: %(reason)s", reason=say(error)), "error")
        return answer(state, form_lines=posted, status=error.status)
    flash(_("The report is saved as a draft. Submit it when it is complete."), "success")
    return redirect(url_for("provider.report", contract_id=contract_id, month=state.month))


def _memory_stream(total_content_length, content_type, filename=None, content_length=None):
    # Uploads stay in memory (at most MAX_CONTENT_LENGTH): a report holds data about
    # citizens, so it must never land in a temporary file on disk.
    return io.BytesIO()


@bp.url_value_preprocessor
def _keep_uploads_in_memory(endpoint, values):
    # Runs before every before_request function, so before CSRFProtect parses the form.
    if endpoint == UPLOAD_ENDPOINT:
        request._get_file_stream = _memory_stream


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/upload", methods=["POST"])
@allow("provider")
def upload_report(contract_id: int, month: Month):
    """Read an uploaded CSV file or xlsx workbook (told apart by content) and save it as the
    draft; with any bad line, or a workbook refused (macros, encrypted, damaged), nothing is stored."""
    state = _state(contract_id, month)
    if not changeable(state):
        return _refuse_change(state)
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    files = [f for f in request.files.getlist(form.file.name) if f.filename or f.content_length]
    if len(files) != 1:
        message = _("Choose one file to upload.") if not files else _("Upload one file at a time.")
        flash(message, "error")
        return _page(state, status=422)
    data = files[0].read()
    read = None
    try:
        read = read_upload(data, report_words())
        _save(state, read, source="upload")
    except InputRejected as error:
        transaction.rollback()
        return _page(
            state,
            problems=error.problems,
            problem_source="upload",
            read_lines=read.lines if read else [],
            status=error.status,
        )
    except DomainError as error:
        transaction.rollback()
        flash(_("The report could not be saved: %(reason)s", reason=say(error)), "error")
        return _page(state, status=error.status)
    flash(
        _("The file is read and saved as a draft. Check the lines, then submit the report."),
        "success",
    )
    return redirect(url_for("provider.report", contract_id=contract_id, month=state.month))


@bp.route("/contracts/<int:contract_id>/reports/<month:month>/submit", methods=["POST"])
@allow("provider")
def submit_report(contract_id: int, month: Month):
    """Send the draft to procurement for review."""
    state = _state(contract_id, month)
    if not SubmitForm().validate_on_submit():
        abort(400)
    if state.report is None or state.status != "draft":
        flash(_("Only a saved draft can be submitted."), "error")
        return _page(state, status=409)
    # The portal's clock, so a report sent on the demo date is stamped with that date.
    try:
        reports.submit(db.session, actor(), state.report, now=clock.now())
    except DomainError as error:
        transaction.rollback()
        # Every reason, such as each line that disagrees with an exit confirmed since it was saved.
        for problem in getattr(error, "problems", None) or [error]:
            flash(_("The report was not submitted: %(reason)s", reason=say(problem)), "error")
        return _page(state, status=error.status)
    flash(_("The report is submitted. Procurement will review it."), "success")
    return redirect(url_for("provider.report", contract_id=contract_id, month=state.month))
