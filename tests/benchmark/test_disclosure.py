"""Disclosure control on generated data with many small cells: no published count is small,
and an independent attack pins no suppressed count narrower than min_cell, in one package or
in two consecutive monthly packages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.services.benchmark.package import build

from .attack import FIELDS, attack
from .generated import PROGRAMMES, generated_values

MONTHS = [f"2019-{m:02d}" for m in range(1, 13)]
MIN_CELL = 5
KEY = Ed25519PrivateKey.generate()


def package_of(values: dict, months: list[str]) -> dict:
    return build(
        {"name": "Testby Kommune", "cvr": "29189846"},
        PROGRAMMES,
        values,
        months,
        MIN_CELL,
        datetime(2020, 1, 5, tzinfo=UTC),
        KEY,
    )


def published(package: dict) -> list[int]:
    return [cell[f] for cell in package["cells"] for f in FIELDS if cell[f] is not None]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_small_count_is_published_or_pinned(seed):
    values = generated_values(MONTHS, seed)
    assert any(0 < v < MIN_CELL for v in values.values()), "the data hold small cells"
    package = package_of(values, MONTHS)
    assert not [v for v in published(package) if 0 < v < MIN_CELL]
    pinned = {k: b for k, b in attack(package).items() if b[1] - b[0] < MIN_CELL - 1e-6}
    assert pinned == {}


@pytest.mark.parametrize("seed", [4, 5])
def test_two_consecutive_months_cannot_be_differenced(seed):
    values = generated_values(MONTHS, seed)
    for last in (2, 6, 11):
        earlier = package_of(values, MONTHS[:last])
        later = package_of(values, MONTHS[: last + 1])
        found = attack(earlier, later)
        small = {k for k, (low, high) in found.items() if high - low < MIN_CELL - 1e-6}
        # What the two together pin must be no count from 1 to min_cell - 1.
        revealed = [
            k for k in small if 0 < values[(k[0], _period(k[1], MONTHS[last]), k[2])] < MIN_CELL
        ]
        assert revealed == [], f"up to {MONTHS[last]}"


def _period(period: str, later: str) -> str:
    if period == "p1:cumulative":
        return f"cum:{later}"
    if period == "p0:cumulative":
        return f"cum:{_before(later)}"
    return period


def _before(month: str) -> str:
    year, number = map(int, month.split("-"))
    return f"{year}-{number - 1:02d}" if number > 1 else f"{year - 1}-12"
