"""The audit log page for administrators: filters in the query string (a GET form that changes
nothing, so it can be bookmarked and carries no CSRF token), pages, and the CSV export."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import NumberRange, Optional

from contracts.documents.exports import csv_bytes
from contracts.services import DomainError
from contracts.services.audit_log import (
    EXPORT_HEADER,
    AuditFilter,
    audit_export,
    audit_page,
    details_text,
)
from contracts.services.paging import PER_PAGE

from .. import clock
from ..downloads import attachment
from ..extensions import db
from ..form_fields import DayField, PortalForm
from ..i18n import say
from ..security import actor, allow, viewer
from .views import bp


class AuditFilterForm(PortalForm):
    """Who, what, which record and when; every box may be left empty."""

    class Meta:
        csrf = False

    actor = StringField(_l("User (part of the e-mail)"), validators=[Optional()])
    action = StringField(_l("Action (such as invoice.approved, or invoice. for all)"))
    record_type = StringField(_l("Record type (such as invoice)"))
    record_id = IntegerField(
        _l("Record id"),
        validators=[Optional(), NumberRange(min=1, max=2_000_000_000)],
        render_kw={"inputmode": "numeric"},
    )
    from_date = DayField(_l("From date"))
    to_date = DayField(_l("To date"))

    def filters(self) -> AuditFilter:
        return AuditFilter(
            actor=self.actor.data or None,
            action=(self.action.data or "").strip() or None,
            record_type=(self.record_type.data or "").strip() or None,
            record_id=self.record_id.data,
            from_day=self.from_date.day,
            to_day=self.to_date.day,
        )

    def as_args(self) -> dict[str, str]:
        names = ("actor", "action", "record_type", "record_id", "from_date", "to_date")
        return {name: str(self[name].data) for name in names if self[name].data}


def _refused(form: AuditFilterForm, error: DomainError | None = None):
    if error is not None:
        form.to_date.errors = [say(error)]
    return render_template(
        "admin/audit.html", form=form, found=None, details_text=details_text
    ), 400


@bp.route("/audit")
@allow("admin")
def audit():
    """The newest events first, 50 to a page."""
    form = AuditFilterForm(formdata=request.args)
    if not form.validate():
        return _refused(form)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1
    try:
        found = audit_page(
            db.session, viewer(), actor(), form.filters(), page, PER_PAGE, clock.today()
        )
    except DomainError as error:
        if error.field != "to":
            raise
        return _refused(form, error)
    return render_template("admin/audit.html", form=form, found=found, details_text=details_text)


@bp.route("/audit.csv")
@allow("admin")
def audit_csv():
    """Every event the filters find, as Danish Excel opens it; the export is itself audited."""
    form = AuditFilterForm(formdata=request.args)
    if not form.validate():
        return _refused(form)
    try:
        rows = audit_export(db.session, viewer(), actor(), form.filters())
    except DomainError as error:
        if error.field not in ("to", None) or error.status != 422:
            raise
        return _refused(form, error)
    return attachment(csv_bytes(EXPORT_HEADER, rows), "text/csv; charset=utf-8", "revisionslog.csv")
