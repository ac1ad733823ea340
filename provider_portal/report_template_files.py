"""The month's report template as a file: CSV as Danish Excel opens it, or an xlsx workbook.

Headed and filled in with the report words' Danish labels (`contracts.rules.report_words`),
the same the pages show and the reader accepts, so the file goes back in as it came out.
Danish whatever the page's language: the job centre's providers work in Danish Excel, and the
reader takes English words as well.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from contracts.documents.exports import csv_bytes, neutralised
from contracts.rules.report_words import COLUMN_LABELS, COLUMNS, EXIT_REASON_LABELS, STATUS_LABELS
from contracts.services.report_templates import ReportTemplate

from .downloads import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the participants a template lists, and for lines a provider adds below them.
VALIDATED_ROWS = 2_000


def _table(template: ReportTemplate) -> tuple[list[str], list[list], list[str], list[str]]:
    """The header, the rows, and the status and reason words, in Danish."""
    with force_locale("da"):
        header = [_(COLUMN_LABELS[column]) for column in COLUMNS]
        statuses = {code: _(label) for code, label in STATUS_LABELS.items()}
        reasons = {code: _(label) for code, label in EXIT_REASON_LABELS.items()}
    rows = [
        [
            line.participant_ref,
            None,
            None,
            None,
            statuses[line.status],
            line.exit_on,
            reasons.get(line.exit_reason) if line.exit_reason else None,
        ]
        for line in template.lines
    ]
    return header, rows, list(statuses.values()), list(reasons.values())


def template_csv(template: ReportTemplate) -> bytes:
    """`;`-separated UTF-8 with BOM, DD-MM-YYYY dates, hours empty for the provider."""
    header, rows, _statuses, _reasons = _table(template)
    return csv_bytes(header, rows)


def template_xlsx(template: ReportTemplate) -> bytes:
    """One sheet: a bold header row, the participants, lists to choose status and reason from."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    header, rows, statuses, reasons = _table(template)
    book = Workbook()
    sheet = book.active
    sheet.title = str(template.month)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralised(v) if isinstance(v, str) else v for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"
    last = VALIDATED_ROWS + 1
    for column, words in (("E", statuses), ("G", reasons)):
        choice = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
        choice.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(choice)
    for row in sheet.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=2, max_col=4):
        for cell in row:  # the hours: a decimal comma in Danish Excel
            cell.number_format = "0.00"
    for column, width in zip("ABCDEFG", (16, 15, 15, 15, 10, 13, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_response(template: ReportTemplate, kind: str) -> Response:
    """The template as a download, `kind` "csv" or "xlsx"."""
    if kind == "xlsx":
        return attachment(template_xlsx(template), XLSX, f"{template.file_stem}.xlsx")
    return attachment(
        template_csv(template), "text/csv; charset=utf-8", f"{template.file_stem}.csv"
    )
