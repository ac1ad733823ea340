"""The report calendar: which months a contract reports, when each is due, late and editable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from contracts.rules.report_calendar import (
    MISSING,
    OPEN,
    is_reported_month,
    report_month,
    reported_months,
)


@dataclass
class Stored:
    status: str
    rejection_reason: str | None = None


def test_months_run_from_the_start_to_the_current_month():
    assert reported_months(date(2019, 11, 15), date(2020, 6, 30), date(2020, 2, 3)) == [
        "2019-11",
        "2019-12",
        "2020-01",
        "2020-02",
    ]


def test_no_month_before_2018_and_none_after_the_end():
    assert reported_months(date(2017, 11, 1), date(2018, 2, 10), date(2019, 1, 1)) == [
        "2018-01",
        "2018-02",
    ]


def test_a_contract_not_yet_begun_reports_no_month():
    assert reported_months(date(2020, 3, 1), date(2021, 2, 28), date(2020, 2, 29)) == []


@pytest.mark.parametrize(
    "month,reported",
    [
        ("2019-11", True),
        ("2020-02", True),
        ("2019-10", False),  # before the start
        ("2020-03", False),  # not begun
        ("2020-13", False),
        ("2020-2", False),
        ("", False),
    ],
)
def test_a_reported_month_is_a_begun_month_inside_the_contract(month, reported):
    assert is_reported_month(date(2019, 11, 15), date(2020, 6, 30), month, date(2020, 2, 3)) is (
        reported
    )


def test_a_month_without_a_report_is_missing_editable_and_late_after_the_10th():
    on_time = report_month("2020-01", None, date(2020, 2, 10))
    assert (on_time.status, on_time.due_on, on_time.late) == (MISSING, date(2020, 2, 10), False)
    assert on_time.editable
    assert report_month("2020-01", None, date(2020, 2, 11)).late


@pytest.mark.parametrize(
    "status,late,editable",
    [
        ("draft", True, True),
        ("rejected", True, True),
        ("submitted", False, False),
        ("accepted", False, False),
        ("invoiced", False, False),
    ],
)
def test_a_sent_report_is_never_late_and_only_drafts_and_rejected_ones_change(
    status, late, editable
):
    shown = report_month("2020-01", Stored(status, "hours missing"), date(2020, 3, 1))
    assert (shown.late, shown.editable) == (late, editable)
    assert shown.rejection_reason == ("hours missing" if status == "rejected" else None)


def test_a_month_still_running_without_a_report_is_open_not_missing():
    """A month cannot be submitted before it ends, so it is not missing while it runs."""
    running = report_month("2020-01", None, date(2020, 1, 24))
    assert (running.status, running.late, running.ended) == (OPEN, False, False)
    assert running.editable and not running.submittable
    assert report_month("2020-01", None, date(2020, 2, 1)).status == MISSING
