"""Finance's postings page: a date range, the sums per programme, and the CSV for the ERP.

The range is read from the query string (a GET form that changes nothing: bookmarkable, no CSRF
token), dates as the browser's date control sends them or as a person types them (24-01-2019).
A date that cannot be read, or a range the service refuses, is shown on the form (400).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import ValidationError

from contracts.services import DomainError, postings

from .. import clock
from .. import downloads as documents
from ..extensions import db
from ..form_fields import PortalForm
from ..i18n import say
from ..posting_accounts import posting_accounts
from ..security import actor, allow, viewer
from .views import bp

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_INPUT = {"type": "date", "placeholder": "24-01-2019", "autocomplete": "off"}


def _day(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


class DayField(StringField):
    """A date box: the browser's date control, drawn as a text box for a value it cannot show
    (so the text typed is shown beside the message that quotes it), ISO once it is read."""

    def __call__(self, **kwargs):
        day = _day(self.data or "")
        if day is None:
            kwargs["type"] = "text"
        else:
            kwargs["value"] = day.isoformat()
        return super().__call__(**kwargs)


class PostingRangeForm(PortalForm):
    """The issue dates to post, both included; left empty, last month."""

    class Meta:
        csrf = False

    from_date = DayField(_l("From date"), render_kw=DATE_INPUT)
    to_date = DayField(_l("To date"), render_kw=DATE_INPUT)

    @classmethod
    def read(cls, args: MultiDict, today: date) -> PostingRangeForm:
        first = today.replace(day=1)
        last_month = (first - timedelta(days=1)).replace(day=1)
        typed = {
            "from_date": args.get("from_date", "").strip() or last_month.isoformat(),
            "to_date": args.get("to_date", "").strip() or (first - timedelta(days=1)).isoformat(),
        }
        form = cls(formdata=MultiDict(typed))
        form.validate()
        return form

    def _check(self, field) -> None:
        if _day(field.data or "") is None:
            raise ValidationError(
                _(
                    "“%(value)s” is not a date: write it as DD-MM-YYYY, such as 31-12-2018.",
                    value=(field.data or "")[:40],
                )
            )

    validate_from_date = _check
    validate_to_date = _check

    @property
    def start(self) -> date:
        return _day(self.from_date.data)

    @property
    def end(self) -> date:
        return _day(self.to_date.data)

    def as_args(self) -> dict[str, str]:
        return {"from_date": self.start.isoformat(), "to_date": self.end.isoformat()}


def _answered(answer: Callable[[PostingRangeForm], Any]):
    """`answer(form)` for a range that can be used; else the form with why not, on its field (400)."""
    form = PostingRangeForm.read(request.args, clock.today())
    if not form.errors:
        try:
            return answer(form)
        except DomainError as error:
            if error.field != "to":
                raise
            form.to_date.errors = [say(error)]
    return render_template("finance/postings.html", form=form, sums=None), 400


@bp.route("/postings")
@allow("finance")
def postings_page():
    """The sums per programme of the posting lines issued in the range, and the CSV's button."""
    return _answered(
        lambda form: render_template(
            "finance/postings.html",
            form=form,
            sums=postings.programme_sums(
                db.session, viewer(), posting_accounts(), form.start, form.end
            ),
        )
    )


@bp.route("/postings.csv")
@allow("finance")
def postings_csv():
    """The range's posting lines as CSV for the ERP, the way Danish Excel opens it (audited)."""

    def download(form: PostingRangeForm):
        data = postings.postings_csv(
            db.session, actor(), viewer(), posting_accounts(), form.start, form.end
        )
        name = f"konteringer-{form.start.isoformat()}-{form.end.isoformat()}.csv"
        return documents.attachment(data, "text/csv; charset=utf-8", name)

    return _answered(download)
