"""The report page's forms: the month's web form (a line per enrolled participant), the file
upload and the submit button. Shape only: every cell is text here; the reader in contracts/
decides what it means, so the form accepts exactly what a file or the API would (a decimal comma,
say)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from contracts.rules.report_words import COLUMNS as LINE_FIELDS

from ..form_fields import PortalForm

# A line's fields are the report's columns, posted as `lines-<index>-<column>` (WTForms'
# FieldList names, which the page has always posted).
_LINE_KEY = re.compile(r"lines-(\d+)-(\w+)\Z")


class ReportForm(PortalForm):
    """The month's web form, a line per enrolled participant. Only its CSRF token is a WTForms
    field: the lines are drawn from plain rows and read by `posted_lines`. Eight WTForms fields
    a line were most of the form page's time (issue 16: 0.54 s of CPU for 1,000 participants)."""


def posted_lines(formdata) -> list[dict[str, str | None]]:
    """The lines as posted, in the order of their indices, each with every field (an empty
    one as None), as the reader takes them."""
    indices = set()
    for key in formdata:
        match = _LINE_KEY.match(key)
        if match and match.group(2) in LINE_FIELDS:
            indices.add(int(match.group(1)))
    return [
        {name: formdata.get(f"lines-{index}-{name}") or None for name in LINE_FIELDS}
        for index in sorted(indices)
    ]


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
