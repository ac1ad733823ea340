"""One home per domain word: a month, Copenhagen's time zone and the exit categories are each
defined once (in `contracts.rules`) and taken from there by everyone else."""

from __future__ import annotations

import ast
import pickle
import re
from datetime import date
from pathlib import Path

import pytest

from contracts.rules import exits
from contracts.rules.identifiers import cvr_problem, gln_problem
from contracts.rules.periods import Month, is_month, month_of, months_between, next_month

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("contracts", "provider_portal")


# A month.


def test_a_month_is_parsed_from_yyyy_mm_and_knows_its_days():
    month = Month.parse("2019-02")
    assert str(month) == "2019-02" and month == "2019-02"
    assert (month.year, month.number) == (2019, 2)
    assert (month.first_day, month.last_day) == (date(2019, 2, 1), date(2019, 2, 28))
    assert Month.parse("2020-02").last_day == date(2020, 2, 29)
    assert Month.of(date(2019, 12, 31)) == "2019-12" and isinstance(Month.of(date.today()), Month)


def test_months_follow_each_other_across_the_year_end():
    assert Month.parse("2018-12").next() == "2019-01"
    assert Month.parse("2019-01").previous() == "2018-12"
    assert next_month("2019-11") == "2019-12"
    assert months_between("2018-11", "2019-02") == ["2018-11", "2018-12", "2019-01", "2019-02"]
    assert months_between("2019-03", "2019-02") == []


def test_months_are_ordered_and_equal_to_the_text_they_are_written_as():
    assert Month.parse("2018-12") < Month.parse("2019-01") < "2019-10"
    assert sorted([Month.parse("2019-10"), Month.parse("2019-02")]) == ["2019-02", "2019-10"]
    assert {Month.parse("2019-01"): 1}["2019-01"] == 1
    assert month_of(date(2019, 1, 24)) == Month.parse("2019-01")


def test_a_month_is_a_value():
    month = Month.parse("2019-01")
    assert Month.parse(month) is month
    assert pickle.loads(pickle.dumps(month)) == month
    with pytest.raises(AttributeError):
        month.year = 2020  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["2019-13", "2019-00", "2019-1", "19-01", "2019/01", " 2019-01", "2019-01\n", "", None, 201901],
)
def test_anything_else_is_not_a_month(text):
    with pytest.raises(ValueError, match="is not a month in the form YYYY-MM"):
        Month.parse(text)
    assert not is_month(text)


@pytest.mark.parametrize("text", ["0000-01", "0999-12", "3000-01", "9999-12", "２０１９-01"])
def test_a_month_outside_the_years_or_of_other_digits_is_not_a_month(text):
    """Year 0000 is no date's and 9999-12 has no next month: both answered 500 on pages."""
    with pytest.raises(ValueError, match="is not a month"):
        Month.parse(text)
    assert not is_month(text)


def test_the_years_first_and_last_months_have_neighbours():
    assert Month.parse("2999-12").next() == "3000-01"
    assert Month.parse("1000-01").previous() == "0999-12"
    assert months_between("2999-11", "2999-12") == ["2999-11", "2999-12"]


# CVR and GLN.


@pytest.mark.parametrize("cvr", ["64942212", "13585628", "29403473", "DK 64 94 22 12", "6494-2212"])
def test_real_cvr_numbers_pass(cvr):
    assert cvr_problem(cvr) is None


@pytest.mark.parametrize(
    "cvr,words",
    [
        ("64942213", "modulus 11"),
        ("46942212", "modulus 11"),  # two digits swapped
        ("6494221", "has 7"),
        ("6494221X", "only digits"),
        ("04942212", "never starts with 0"),
    ],
)
def test_a_wrong_cvr_number_says_what_is_wrong(cvr, words):
    problem = cvr_problem(cvr)
    assert problem is not None and problem.field == "cvr" and words in problem.message


@pytest.mark.parametrize("gln", ["5798009800275", "5790001234560", "579 8009 800 275"])
def test_real_gln_numbers_pass(gln):
    assert gln_problem(gln) is None


@pytest.mark.parametrize(
    "gln,words",
    [
        ("5798009800276", "check digit"),
        ("5798009800257", "check digit"),  # two digits swapped
        ("96385074", "has 8"),  # a valid EAN-8, but no location number
        ("579800980027", "has 12"),
        ("579800980027X", "only digits"),
    ],
)
def test_a_wrong_gln_number_says_what_is_wrong(gln, words):
    problem = gln_problem(gln)
    assert problem is not None and problem.field == "gln" and words in problem.message


def test_the_demo_providers_have_numbers_the_rules_accept():
    from contracts.services.demo.plan import PROVIDERS

    for _key, _name, cvr, gln, _contact in PROVIDERS:
        assert cvr_problem(cvr) is None and (gln is None or gln_problem(gln) is None)


# One home each.

HOMES = {
    "copenhagen": "contracts/rules/periods.py",
    "month": "contracts/rules/periods.py",
    "exits": "contracts/rules/exits.py",
}
COPENHAGEN = re.compile(r"""ZoneInfo\(\s*["']Europe/Copenhagen["']\s*\)""")
# A month's syntax written out (0[1-9]|1[0-2], or four digits, a dash and two, not a date),
# checked with the pattern instead of Month, or a month written with strftime.
MONTH_SYNTAX = re.compile(
    r"0\[1-9\]\|1\[0-2\]|\\d\{4\}-\\d\{2\}(?!-)|\\d\{4\}-\\d\\d(?!-)"
    r"|MONTH_RE\.(match|fullmatch|search)|%Y-%m[\"'}]"
)
# Ids of jobs that carry a month, in a module this change may not edit (see the report).
MONTH_SYNTAX_ELSEWHERE = {"provider_portal/jobs/documents.py"}


def _sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_copenhagen_is_defined_once():
    found = [name for name, text in _sources(*PACKAGES, "tests") if COPENHAGEN.search(text)]
    assert found == [HOMES["copenhagen"]]


def test_a_month_is_read_in_one_place():
    found = [
        name
        for name, text in _sources(*PACKAGES)
        if MONTH_SYNTAX.search(text) and name not in MONTH_SYNTAX_ELSEWHERE
    ]
    assert found == [HOMES["month"]]


def _exit_categories(tree: ast.AST):
    """Tuple, list and set literals naming two or more exit reasons ("other" is also a column's
    name, so it alone does not count)."""
    reasons = set(exits.END_REASONS) - {"other"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = {
                element.value
                for element in node.elts
                if isinstance(element, ast.Constant) and element.value in reasons
            }
            if len(words) >= 2:
                yield node.lineno


def test_the_exit_categories_are_defined_once():
    found = [
        f"{name}:{line}"
        for name, text in _sources(*PACKAGES)
        for line in _exit_categories(ast.parse(text))
    ]
    assert {entry.split(":")[0] for entry in found} == {HOMES["exits"]}, found


def test_the_exit_categories_cover_every_reason_once():
    categories = (exits.POSITIVE_EXITS, exits.BENEFIT_STOPPED_EXITS, exits.OTHER_EXITS)
    assert sorted(sum(categories, ())) == sorted(exits.EXIT_REASONS)
    assert len(set(exits.EXIT_REASONS)) == len(exits.EXIT_REASONS)
    assert exits.TRANSFERRED in exits.END_REASONS and exits.TRANSFERRED not in exits.EXIT_REASONS
    assert (
        exits.is_positive("job") and not exits.is_positive("moved") and not exits.is_positive(None)
    )
