"""Tables as CSV the way Danish Excel opens it, and as xlsx, safe against formula injection.

Danish Excel reads `;`-separated UTF-8 with a byte-order mark (without the BOM it guesses
Windows-1252 and garbles æøå) and decimal commas. A text cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return would be run as a formula by a spreadsheet, so such text is
prefixed with an apostrophe (OWASP's advice); numbers stay numbers, so a credit of -100 is not
mangled into text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(text: str) -> str:
    """Text a spreadsheet will show, never evaluate."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return neutralised(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A `;`-separated UTF-8 CSV with BOM, decimal commas and DD-MM-YYYY dates, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralised(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An xlsx workbook of one sheet: amounts as numbers with two decimals, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = neutralised(sheet_title)[:31]
    sheet.append([neutralised(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                value = neutralised(value)
            cells.append(value)
        sheet.append(cells)
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
            elif isinstance(value, str):
                # Stored as text even when it looks like a formula: openpyxl would write "=..." as one.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


INVOICE_HEADER = (
    "Nummer",
    "Type",
    "Status",
    "Leverandør",
    "CVR",
    "Aftale",
    "Indsats",
    "Måned",
    "Version",
    "Krediterer",
    "Ekskl. moms",
    "Moms",
    "I alt",
    "Over loft",
    "Godkendt",
)
