"""Reading a monthly report sent as an Excel workbook (xlsx), and telling it from a CSV file.

The workbook is read like the CSV (`report_format.read_table`): the first sheet, its first
row with anything in it as the header, each row after it a line, numbered as Excel numbers
its rows. Cells are taken as Excel stores them (text, numbers, dates; a formula's last
computed value). What a report never needs is refused before openpyxl reads a byte of it:
a workbook with macros (xlsm, a vbaProject.bin or Excel 4 macro sheets), an encrypted one
(Office wraps those in an OLE2 container), a binary workbook (xlsb), a damaged zip, and one
that would unpack to more than MAX_UNPACKED bytes (a zip bomb; zipfile never unpacks a part
beyond the size its directory declares, and those sizes are summed first). openpyxl parses
the XML with defusedxml, which refuses entity declarations (billion laughs, external
entities); importing defusedxml here makes a missing install fail loudly, not silently.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import ParseError  # nosec B405 # the error only: defusedxml parses

import defusedxml  # noqa: F401  (openpyxl parses with it when it is installed)
import filetype
from defusedxml import DefusedXmlException

from .problems import N_, InputRejected, Problem
from .report_format import MAX_BYTES, MAX_LINES, ReadReport, read_csv, read_table
from .report_words import ENGLISH, ReportWords

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An OLE2 compound file: an encrypted Office file, or an old binary .xls.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNPACKED = 64 * 1024 * 1024
MAX_PARTS = 1_000
# A report has seven columns; a sheet is read no wider than this.
MAX_COLUMNS = 64
MACRO_PARTS = ("vbaproject.bin", "xl/macrosheets/", "xl/dialogsheets/", "vbadata.xml")


def _reject(template: str, status: int = 422, **params: Any) -> InputRejected:
    return InputRejected([Problem(template, params)], status=status)


def is_xlsx(data: bytes) -> bool:
    """True when the bytes are a workbook (or any zip, read as one and refused if it is not);
    False for text, which is read as CSV. An OLE2 file is refused: it is encrypted or an .xls."""
    if data.startswith(OLE2):
        raise _reject(
            N_(
                "The workbook is encrypted or in the old Excel format (xls). Remove the "
                "password and save it as an Excel workbook (xlsx), or as CSV."
            )
        )
    kind = filetype.guess(data[:8192])
    return kind is not None and (kind.mime == XLSX or kind.extension == "zip")


def read_upload(data: bytes, words: ReportWords = ENGLISH) -> ReadReport:
    """A report file as sent: an xlsx workbook by its content, otherwise CSV text."""
    return read_xlsx(data, words) if is_xlsx(data) else read_csv(data, words)


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _reject(N_("The workbook has too many parts to be a report."))
    names = [part.filename.lower() for part in parts]
    if any(part.flag_bits & 0x1 for part in parts):
        raise _reject(N_("The workbook is encrypted. Remove the password and upload it again."))
    if any(marker in name for name in names for marker in MACRO_PARTS):
        raise _reject(
            N_(
                "The workbook contains macros, which the portal never opens. Save it as an "
                "Excel workbook without macros (xlsx), or as CSV."
            )
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise _reject(N_("The workbook unpacks to more than 64 MB: it is not a report."), 413)
    if "xl/workbook.bin" in names:
        raise _reject(N_("This is a binary Excel workbook (xlsb); save it as xlsx or CSV."))
    if "xl/workbook.xml" not in names:
        raise _reject(N_("The file is a zip archive, not an Excel workbook (xlsx)."))
    types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if b"macroenabled" in types.lower():
        raise _reject(
            N_(
                "The workbook contains macros, which the portal never opens. Save it as an "
                "Excel workbook without macros (xlsx), or as CSV."
            )
        )


def _cell(value: Any) -> str | Decimal | None:
    """A cell as the table reader takes it: text, a number, or None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 131.5 stays 131.5, not a binary fraction.
        return Decimal(format(value, ".15g"))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    EOFError,
    ParseError,
    DefusedXmlException,
    SyntaxError,  # lxml's XMLSyntaxError is one
)


def _rows(data: bytes) -> list[tuple[int, list[Any]]]:
    """The first sheet's rows with their Excel row numbers, as far as a report may reach."""
    from openpyxl import load_workbook

    rows: list[tuple[int, list[Any]]] = []
    with warnings.catch_warnings():
        # Unsupported extensions (a data validation list, say) are only dropped while reading.
        warnings.simplefilter("ignore")
        book = load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False
        )
        try:
            if not book.worksheets:
                raise _reject(N_("The workbook has no sheet."))
            sheet = book.worksheets[0]
            cells = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
            for number, row in enumerate(cells, start=1):
                values = [_cell(value) for value in row]
                if any(v is not None and str(v).strip() for v in values):
                    rows.append((number, values))
                    if len(rows) > MAX_LINES + 1:
                        raise _reject(N_("The report has more than %(max)s lines."), max=MAX_LINES)
        finally:
            book.close()
    return rows


def read_xlsx(data: bytes, words: ReportWords = ENGLISH) -> ReadReport:
    """Read a report workbook; raises InputRejected (nothing read) for any workbook it refuses."""
    if len(data) > MAX_BYTES:
        raise InputRejected([Problem(N_("The file is larger than 10 MB."))], status=413)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive)
        rows = _rows(data)
    except InputRejected:
        raise
    except DAMAGED:
        raise _reject(
            N_("The workbook is damaged and cannot be read. Save it again in Excel as xlsx or CSV.")
        ) from None
    if not rows:
        raise _reject(N_("The file is empty."))
    (_, header), body = rows[0], rows[1:]
    width = len(header)
    while width and (header[width - 1] is None or not str(header[width - 1]).strip()):
        width -= 1
    names = ["" if name is None else str(name) for name in header[:width]]
    table = []
    for number, row in body:
        extra = [cell for cell in row[width:] if cell is not None and str(cell).strip()]
        table.append((number, row[:width] + extra))
    return read_table(names, table, words)
