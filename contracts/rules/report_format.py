"""Reading monthly reports as providers really send them: CSV from Danish Excel, or JSON.

This module only reads: it turns bytes into lines of typed values and lists every cell it
cannot read. Whether the lines are true for the contract and month is `report_checks`' job.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from .problems import N_, InputRejected, Problem
from .report_words import ALL_COLUMNS, ENGLISH, EXIT_REASON_CHOICES, ReportWords, fold

MAX_BYTES = 10 * 1024 * 1024
MAX_LINES = 20_000
# A report has 7 columns (11 with follow-up lines); a header (or a JSON line) of more names is refused before any is read.
MAX_COLUMNS = 64

REQUIRED_COLUMNS = ("participant_ref", "hours_planned", "hours_delivered", "status")
DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{2})-(\d{2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$"), ("d", "m", "y")),
)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RawLine:
    """One line as read: typed values, None where empty or unreadable."""

    line: int
    participant_ref: str | None
    hours_planned: Decimal | None
    hours_delivered: Decimal | None
    absence_hours: Decimal | None
    status: str | None
    exit_date: date | None
    exit_reason: str | None
    # A follow-up line's (report_follow_ups): the milestone claimed and its evidence.
    milestone: str | None = None
    employer: str | None = None
    started_on: date | None = None
    weekly_hours: Decimal | None = None


@dataclass
class ReadReport:
    """The lines read, and every problem met while reading them."""

    lines: list[RawLine]
    problems: list[Problem]


def _reject(template: str, **params: Any) -> InputRejected:
    return InputRejected([Problem(template, params)], status=422)


# Reading the bytes as text.


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM) or Windows-1252; a clear refusal otherwise."""
    if not data.strip():
        raise _reject(N_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise InputRejected([Problem(N_("The file is larger than 10 MB."))], status=413)
    if data.startswith(b"PK\x03\x04"):
        raise _reject(
            N_(
                "This is an Excel workbook (xlsx), not a CSV file. In Excel, choose "
                "'Save as' and 'CSV (semicolon separated)'."
            )
        )
    if data.startswith(b"%PDF"):
        raise _reject(N_("This is a PDF, not a CSV file."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 0:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _reject(N_("The file is UTF-16 text; save it as CSV in UTF-8 or Windows-1252."))
        raise _reject(N_("The file contains NUL bytes: it is not a CSV text file."))
    if b"\x00" in data:
        raise _reject(N_("The file contains NUL bytes: it is not a CSV text file."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _reject(N_("The file is neither UTF-8 nor Windows-1252 text.")) from None


# Reading single cells: each reader returns the value, None when empty, or raises CellError.


class CellError(ValueError):
    """A cell that cannot be read; the template names the problem."""

    def __init__(self, template: str):
        super().__init__(template)
        self.template = template


def read_hours(text: str | Decimal | int | None) -> Decimal | None:
    """Hours with a decimal comma or point, at most two decimals, no thousands separators."""
    if text is None:
        return None
    if isinstance(text, (bool, float)):
        raise CellError(N_("hours must be written as a number such as 131.5"))
    if isinstance(text, str):
        text = text.strip()
        if not text:
            return None
        plain = text.replace(",", ".", 1)
        digits = plain[1:] if plain.startswith("-") else plain
        # Only ASCII digits and one separator: Decimal itself would also take "1e3" or "1_000".
        if not (digits.replace(".", "", 1).isdigit() and digits.isascii()) or digits.startswith(
            "."
        ):
            raise CellError(
                N_(
                    "'%(value)s' is not a number of hours (no thousands separators; "
                    "a decimal comma or point is fine)"
                )
            )
        value = Decimal(plain)
    else:
        value = Decimal(text)
    if not value.is_finite() or abs(value) >= 100_000:
        raise CellError(N_("'%(value)s' is not a number of hours"))
    if value.as_tuple().exponent < -2 and value != value.quantize(TWO_PLACES):
        raise CellError(N_("'%(value)s' has more than two decimals"))
    return value.quantize(TWO_PLACES)


def read_date(text: str | None) -> date | None:
    """A date as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    for pattern, order in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise CellError(N_("'%(value)s' is not a real date")) from None
    raise CellError(N_("'%(value)s' is not a date (write 2019-01-31, 31-01-2019 or 31.01.2019)"))


def _read_word(text: str | None, known: dict[str, str], refusal: str) -> str | None:
    """The code a word names (folded, as `report_words` lists them); None when empty."""
    if text is None or not str(text).strip():
        return None
    code = known.get(fold(str(text)))
    if code is None:
        raise CellError(refusal)
    return code


def read_status(text: str | None, words: ReportWords = ENGLISH) -> str | None:
    """active or exited (or follow_up), also as the pages show them (aktiv, afgået)."""
    refusal = N_(
        "'%(value)s' is not a status (active, exited or follow_up; aktiv, afgået or opfølgning)"
    )
    return _read_word(text, words.statuses, refusal)


def read_exit_reason(text: str | None, words: ReportWords = ENGLISH) -> str | None:
    """One of the exit reason codes, or its label as the pages show it (uddannelse, ...)."""
    return _read_word(text, words.reasons, N_("'%(value)s' is not an exit reason (%(codes)s)"))


def read_milestone(text: str | None, words: ReportWords = ENGLISH) -> str | None:
    """A follow-up line's week13 or week26, also as the pages show them (13 uger, 26 uger)."""
    refusal = N_("'%(value)s' is not a milestone (week13 or week26; 13 uger or 26 uger)")
    return _read_word(text, words.milestones, refusal)


def read_ref(text: str | Decimal | int | None) -> str | None:
    """A participant reference (or an employer), as given; a number as its digits (a CVR
    number in an xlsx cell)."""
    if text is None or not str(text).strip():
        return None
    return str(text).strip()


def _readers(words: ReportWords) -> dict[str, Any]:
    """Each column's reader, the words ones reading with `words`."""
    return {
        "participant_ref": read_ref,
        "hours_planned": read_hours,
        "hours_delivered": read_hours,
        "absence_hours": read_hours,
        "status": partial(read_status, words=words),
        "exit_date": read_date,
        "exit_reason": partial(read_exit_reason, words=words),
        "milestone": partial(read_milestone, words=words),
        "employer": read_ref,
        "started_on": read_date,
        "weekly_hours": read_hours,
    }


_FIELDS = [f.name for f in fields(RawLine)][1:]  # the columns, in RawLine's order


def _read_lines(
    rows: list[tuple[int, dict[str, Any]]], problems: list[Problem], words: ReportWords
) -> list[RawLine]:
    """Each row's cells (column → cell), read column by column. A report repeats the same
    few cell texts (148, aktiv, ...), so each distinct text of a column is read once."""
    numbers = [number for number, _ in rows]
    readers = _readers(words)
    columns = []
    # Every row has the header's columns (a file's) or all of them (JSON): one row says which.
    given = set(rows[0][1]) if rows else set()
    for column in _FIELDS:
        if column not in given:  # the follow-up columns of an old report, say
            columns.append([None] * len(rows))
            continue
        reader, cells = readers[column], [row.get(column) for _, row in rows]
        values, refusals = {}, {}
        for cell in set(cells):
            try:
                values[cell] = reader(cell)
            except CellError as error:
                values[cell], refusals[cell] = None, error.template
        for number, cell in zip(numbers, cells, strict=True) if refusals else ():
            if cell in refusals:
                params = {"value": str(cell)[:40], "codes": EXIT_REASON_CHOICES}
                problems.append(Problem(refusals[cell], params, number, column))
        columns.append([values[cell] for cell in cells])
    problems.sort(key=lambda p: (p.line is None, p.line or 0))  # line by line, as a person reads
    return [RawLine(number, *line) for number, *line in zip(numbers, *columns, strict=True)]


# Whole reports.


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each record with the file line it starts on: a quoted line break makes a record span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, starts_on = [], 1
    for row in reader:
        records.append((starts_on, row))
        starts_on = reader.line_num + 1
    return records


def read_csv(data: bytes, words: ReportWords = ENGLISH) -> ReadReport:
    """Read a CSV report; raises InputRejected when it cannot be read as a report at all."""
    text = decode_text(data)
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    try:
        rows = _records(text, delimiter)
    except csv.Error as error:
        raise _reject(
            N_("The file's quoting is broken (%(reason)s): check for a stray quote mark."),
            reason=str(error),
        ) from None
    if not rows:  # a file of a byte-order mark alone, say
        raise _reject(N_("The file is empty."))
    (_, header), body = rows[0], rows[1:]
    return read_table(header, body, words)


def _is_empty(row: list[Any]) -> bool:
    return all(cell is None or not str(cell).strip() for cell in row)


def read_table(
    header: list[str], body: list[tuple[int, list[Any]]], words: ReportWords = ENGLISH
) -> ReadReport:
    """Read a report's table, whatever file it came in: its header row (line 1) and each row
    with its line number; a cell is text, a number (Decimal) or None."""
    if len(header) > MAX_COLUMNS:
        raise _reject(
            N_("The header has %(found)s columns; a report has at most %(max)s."),
            found=len(header),
            max=MAX_COLUMNS,
        )
    columns = [words.column(name) for name in header]
    problems = []
    for position, column in enumerate(columns, start=1):
        if column not in ALL_COLUMNS:
            problems.append(
                Problem(
                    N_("unknown column '%(name)s' (column %(position)s)"),
                    {"name": header[position - 1][:40], "position": position},
                    1,
                    None,
                )
            )
    counted = Counter(columns)
    for column in sorted(c for c, n in counted.items() if c in ALL_COLUMNS and n > 1):
        problems.append(
            Problem(N_("the column '%(name)s' appears twice"), {"name": column}, 1, column)
        )
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(
                Problem(
                    N_("the required column '%(name)s' is missing"), {"name": column}, 1, column
                )
            )
    if problems:
        raise InputRejected(problems)
    numbered = [(number, row) for number, row in body if not _is_empty(row)]
    if not numbered:
        raise _reject(N_("The file has a header but no lines."))
    if len(numbered) > MAX_LINES:
        raise _reject(N_("The report has more than %(max)s lines."), max=MAX_LINES)
    rows = []
    for number, row in numbered:
        if len(row) != len(columns):
            problems.append(
                Problem(
                    N_("the line has %(found)s fields, the header %(expected)s"),
                    {"found": len(row), "expected": len(columns)},
                    number,
                    None,
                )
            )
            continue
        rows.append((number, dict(zip(columns, row, strict=True))))
    return ReadReport(_read_lines(rows, problems, words), problems)


def read_json(data: bytes | dict, words: ReportWords = ENGLISH) -> ReadReport:
    """Read a JSON report {"lines": [...]}; line numbers are positions in `lines` from 1."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_BYTES:
            raise InputRejected([Problem(N_("The file is larger than 10 MB."))], status=413)
        try:
            data = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _reject(N_("The body is not valid JSON.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise _reject(N_("The body must be a JSON object with a list 'lines'."))
    if not data["lines"]:
        raise _reject(N_("The report has no lines."))
    if len(data["lines"]) > MAX_LINES:
        raise _reject(N_("The report has more than %(max)s lines."), max=MAX_LINES)
    problems: list[Problem] = []
    rows = []
    for number, item in enumerate(data["lines"], start=1):
        if not isinstance(item, dict):
            problems.append(Problem(N_("each line must be a JSON object"), {}, number, None))
            continue
        if len(item) > MAX_COLUMNS:
            problems.append(
                Problem(
                    N_("the line has %(found)s fields; a line has at most %(max)s"),
                    {"found": len(item), "max": MAX_COLUMNS},
                    number,
                    None,
                )
            )
            continue
        unknown = sorted(set(item) - set(ALL_COLUMNS))
        for name in unknown:
            problems.append(
                Problem(N_("unknown field '%(name)s'"), {"name": str(name)[:40]}, number, None)
            )
        cells = {}
        for column in ALL_COLUMNS:
            value = item.get(column)
            if (
                value is not None
                and not isinstance(value, (str, int, Decimal))
                or isinstance(value, bool)
            ):
                problems.append(
                    Problem(
                        N_("'%(name)s' must be a string or a number"),
                        {"name": column},
                        number,
                        column,
                    )
                )
                value = None
            cells[column] = value
        rows.append((number, cells))
    return ReadReport(_read_lines(rows, problems, words), problems)
