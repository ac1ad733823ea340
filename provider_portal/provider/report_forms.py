"""The report page's forms: the month's web form (a line per enrolled participant), the file
upload and the submit button. Shape only: every cell is text here; the reader in contracts/
decides what it means, so the form accepts exactly what a file or the API would (a decimal comma,
say)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import FieldList, FormField, HiddenField, StringField
from wtforms.widgets import HiddenInput, TextInput
from wtforms.widgets.core import clean_key

from ..form_fields import PortalForm, PortalSubform


def _attributes(**attributes) -> Markup:
    """WTForms' `html_params`, the same markup written without `Markup.format`: a month's form
    draws five inputs for each of up to thousands of participants, and `Markup.format` took most
    of the report page's time (issue 16: 0.7 s of CPU for 1,000 participants)."""
    written = []
    for key, value in sorted(attributes.items()):
        key = clean_key(key)
        if value is True:
            written.append(str(escape(key)))
        elif value is not False:
            written.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(written))  # nosec B704 # every key and value escaped just above


class LineInput(TextInput):
    html_params = staticmethod(_attributes)


class LineHiddenInput(HiddenInput):
    html_params = staticmethod(_attributes)


class ReportLineForm(PortalSubform):
    """One participant's line of the web form."""

    participant_ref = HiddenField(widget=LineHiddenInput())
    hours_planned = StringField(
        _l("Hours planned"), widget=LineInput(), render_kw={"inputmode": "decimal", "size": 6}
    )
    hours_delivered = StringField(
        _l("Hours delivered"), widget=LineInput(), render_kw={"inputmode": "decimal", "size": 6}
    )
    absence_hours = StringField(
        _l("Absence (hours)"), widget=LineInput(), render_kw={"inputmode": "decimal", "size": 6}
    )
    # Chosen from a list on the page, but read as text: the reader decides what is valid.
    status = StringField(_l("Status"), widget=LineInput())
    exit_date = StringField(_l("Exit date"), widget=LineInput(), render_kw={"type": "date"})
    exit_reason = StringField(_l("Exit reason"), widget=LineInput())


class ReportForm(PortalForm):
    """The month's lines, one per enrolled participant."""

    lines = FieldList(FormField(ReportLineForm))


class UploadForm(PortalForm):
    """One CSV file, as Danish Excel saves it, or an Excel workbook (xlsx)."""

    file = FileField(
        _l("Report file (CSV or Excel)"),
        render_kw={
            "accept": ".csv,.xlsx,text/csv,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )


class SubmitForm(PortalForm):
    """Send the draft for review: no fields beyond the CSRF token."""
