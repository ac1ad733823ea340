"""The CVR and GLN checks and the API's decimal formats, without an app."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.services.providers import cvr_problem, gln_problem
from provider_portal.api.types import format_money, format_rate


@pytest.mark.parametrize("cvr", ["13585628", "64942212", "DK 13 58 56 28", "29403473"])
def test_valid_cvr_numbers_pass(cvr):
    assert cvr_problem(cvr) is None


@pytest.mark.parametrize(
    "cvr,words",
    [
        ("1358562", "has 7"),
        ("135856280", "has 9"),
        ("1358562O", "only digits"),
        ("03585628", "never starts with 0"),
        ("13585629", "modulus 11"),
        ("31585628", "modulus 11"),  # two digits swapped
    ],
)
def test_each_kind_of_wrong_cvr_has_its_own_message(cvr, words):
    assert words in cvr_problem(cvr).message


@pytest.mark.parametrize(
    "gln,words",
    [
        ("5798009800275", None),
        ("579800980027", "has 12"),
        ("12345670", "has 8"),  # a valid EAN-8, but not a location number
        ("579800980027X", "only digits"),
        ("5798009800276", "check digit"),
    ],
)
def test_gln_needs_13_digits_with_the_right_check_digit(gln, words):
    problem = gln_problem(gln)
    assert problem is None if words is None else words in problem.message


@pytest.mark.parametrize(
    "stored,shown",
    [
        (Decimal("0.2500"), "0.25"),
        (Decimal("0.1000"), "0.10"),
        (Decimal("0.1250"), "0.125"),
        (Decimal("0E-4"), "0.00"),
        (Decimal("0.0000"), "0.00"),
    ],
)
def test_rates_are_written_as_short_fractions(stored, shown):
    assert format_rate(stored) == shown


def test_money_is_written_with_two_decimals():
    assert format_money(Decimal(9500)) == "9500.00"
    assert format_money(Decimal("3150000.50")) == "3150000.50"
