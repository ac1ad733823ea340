"""Reading and checking monthly reports: the sample files as providers really send them."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.rules.problems import InputRejected
from contracts.rules.report_checks import Enrolled, check_report, within_ceiling
from contracts.rules.report_format import read_csv, read_json

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
REFS = ["DL-4Q7K2", "DL-9XW3M", "DL-2HB8R", "DL-7TZ5C", "DL-3PJ6N", "DL-8KD4V", "DL-5MR2F"]
ENROLLED = [Enrolled(ref, n, 100 + n, date(2018, 10, 1)) for n, ref in enumerate(REFS, start=1)]


def read(name: str):
    data = (SAMPLES / name).read_bytes()
    return read_json(data) if name.endswith(".json") else read_csv(data)


@pytest.mark.parametrize(
    "name", ["report-2019-01-excel-da.csv", "report-2019-01-utf8-bom.csv", "report-2019-01.json"]
)
def test_the_three_good_files_read_as_one_report(name):
    lines = check_report(read(name), "2019-01", ENROLLED)
    reference = check_report(read("report-2019-01-utf8-bom.csv"), "2019-01", ENROLLED)
    assert lines == reference
    assert [line.participant_ref for line in lines] == REFS
    assert [line.enrolled_days for line in lines] == [31, 31, 16, 31, 10, 19, 3]
    first = lines[0]
    assert (first.hours_planned, first.hours_delivered, first.absence_hours) == (
        Decimal("148.00"),
        Decimal("131.50"),
        Decimal("16.50"),
    )
    assert lines[2].status == "exited" and lines[2].exit_on == date(2019, 1, 16)
    assert lines[2].exit_reason == "job"
    assert sum(line.hours_delivered for line in lines) == Decimal("575.75")


def test_the_bad_file_is_told_every_problem_by_line():
    with pytest.raises(InputRejected) as caught:
        check_report(read("bad-report-2019-01.csv"), "2019-01", ENROLLED)
    found = {(p.line, p.field) for p in caught.value.problems}
    messages = {p.line: [] for p in caught.value.problems}
    for p in caught.value.problems:
        messages[p.line].append(p.message)
    assert (3, "participant_ref") in found and "first on line 2" in " ".join(messages[3])
    assert {(4, "hours_planned"), (4, "hours_delivered")} <= found
    assert "163.86" in " ".join(messages[4])
    assert (5, "exit_reason") in found
    assert (6, "exit_reason") in found
    assert (7, "exit_date") in found and "outside 2019-01" in " ".join(messages[7])
    assert (8, "exit_reason") in found and "'vacation'" in " ".join(messages[8])
    assert (9, "hours_planned") in found and "negative" in " ".join(messages[9])
    assert {(10, "hours_planned"), (10, "participant_ref")} <= found
    assert "DL-6WQ1Z is not enrolled" in " ".join(messages[10])
    # Line 2 is good: nothing is said about it.
    assert 2 not in messages


def test_a_participant_left_out_is_named():
    lines = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes().splitlines(keepends=True)
    without_last = b"".join(lines[:-1])
    with pytest.raises(InputRejected) as caught:
        check_report(read_csv(without_last), "2019-01", ENROLLED)
    [problem] = caught.value.problems
    assert problem.line is None and "DL-5MR2F" in problem.message and "missing" in problem.message


def test_the_ceiling_is_compared_exactly():
    # 37 × 31 / 7 = 163.857…: 163.85 is within, 163.86 (how it is shown) is just above.
    assert within_ceiling(Decimal("163.85"), 31)
    assert not within_ceiling(Decimal("163.86"), 31)
    assert within_ceiling(Decimal(37), 7)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
        ("deltager;timer_planlagt\n".encode("utf-16"), "UTF-16"),
        (b"participant_ref,hours\x00_planned\n", "NUL"),
        (b"participant_ref,hours_planned,hours_delivered,status\n", "no lines"),
        (b'participant_ref,hours_planned,hours_delivered,status\n"DL-1,1,1,active\n', "quoting"),
        (b"participant_ref,hours_planned\nDL-1,3\n", "'hours_delivered' is missing"),
        (b"\x81\x8d\x8f\x90\x9d;x\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_files_that_are_not_reports_get_a_plain_answer(data, words):
    with pytest.raises(InputRejected) as caught:
        read_csv(data)
    assert words in " ".join(p.message for p in caught.value.problems)
    assert caught.value.status == 422


@pytest.mark.parametrize(
    "body, words",
    [
        (b"{", "not valid JSON"),
        (b"[]", "object with a list 'lines'"),
        (b'{"lines": []}', "no lines"),
    ],
)
def test_json_that_is_not_a_report_gets_a_plain_answer(body, words):
    with pytest.raises(InputRejected) as caught:
        read_json(body)
    assert words in " ".join(p.message for p in caught.value.problems)


def test_a_json_line_that_is_not_an_object_is_a_line_problem():
    read = read_json(b'{"lines": [1, {"participant_ref": "DL-1", "hours_planned": 1.5}]}')
    assert [(p.line, p.message) for p in read.problems] == [(1, "each line must be a JSON object")]
    # A JSON number is read exactly, never through a float.
    assert read.lines[0].hours_planned == Decimal("1.50")


def test_cells_in_every_accepted_spelling():
    data = (
        "Deltager;Timer_Planlagt;TIMER_LEVERET;fravaer_timer;Status;Afgangsdato;afgangsaarsag\r\n"
        "DL-4Q7K2;148;131,5;16,5;AKTIV;;\r\n"
        "DL-9XW3M;148;148;0;Afgået;31.01.2019;moved\r\n"
    ).encode("cp1252")
    lines = read_csv(data).lines
    assert lines[0].hours_delivered == Decimal("131.50") and lines[0].status == "active"
    assert lines[1].status == "exited" and lines[1].exit_date == date(2019, 1, 31)


@pytest.mark.parametrize("cell", ["1.234,5", "12,345", "1e3", "ten", "0.125"])
def test_unreadable_hours_are_refused_with_the_cell_quoted(cell):
    data = (
        f"participant_ref;hours_planned;hours_delivered;status\nDL-4Q7K2;{cell};1;active\n".encode()
    )
    problems = read_csv(data).problems
    assert [(p.line, p.field) for p in problems] == [(2, "hours_planned")]
    assert cell in problems[0].message


def test_a_formula_looking_cell_stays_text():
    data = b'participant_ref;hours_planned;hours_delivered;status\n=HYPERLINK("x");1;1;active\n'
    [line] = read_csv(data).lines
    assert line.participant_ref == '=HYPERLINK("x")'


def test_a_quoted_line_break_keeps_the_problems_on_the_file_s_lines():
    # A quoted cell may hold a line break; its record then spans two lines of the file, and the
    # next record's problem is on the line a text editor shows it on.
    data = (
        b"participant_ref;hours_planned;hours_delivered;status\r\n"
        b'DL-4Q7K2;120;"10\r\n0";active\r\n'
        b"DL-9XW3M;120;lots;active\r\n"
    )
    problems = read_csv(data).problems
    assert [(p.line, p.field) for p in problems] == [(2, "hours_delivered"), (4, "hours_delivered")]
