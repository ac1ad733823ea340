"""Disclosure control for benchmark packages (DESIGN.md §12): which counts to suppress, and the
linear program that proves no suppressed count can be narrowed below `min_cell`.

A cell value is keyed `(programme, period, field)`: `period` is a month "YYYY-MM" or
"cum:YYYY-MM", the cumulated figures up to that month (a package's "cumulative" cell).

The relations an attacker may use are those the package states (programmes add up to "all",
`exits = positive + benefit_stopped + other`, cumulated `participants = active_end + exits`)
and those that follow from the definitions of §7 (the cumulated `active_end` is the last
month's, the cumulated exits are at least the months' sum). Each is taken as an equality where
the data satisfy it, else as the inequality that holds: the attacker is assumed to know as much
as can be known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

FIELDS = ("participants", "active_end", "exits", "positive", "benefit_stopped", "other")
EXIT_FIELDS = ("exits", "positive", "benefit_stopped", "other")
ALL = "all"
Key = tuple[str, str, str]
# Rounding slack of the solver: a bound within this of a whole number is that number.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Relation:
    """`Σ coefficient × value` is 0 (`equal`) or at most 0."""

    terms: tuple[tuple[Key, int], ...]
    equal: bool


def cumulated(month: str) -> str:
    return f"cum:{month}"


def _relation(values: Mapping[Key, int], terms: list[tuple[Key, int]], always_le: bool = True):
    """The relation as an equality where the data satisfy it, else as `≤ 0` (if that holds)."""
    total = sum(values[key] * coef for key, coef in terms)
    if total == 0:
        return Relation(tuple(terms), True)
    if total < 0 and always_le:
        return Relation(tuple(terms), False)
    return None


def package_relations(
    values: Mapping[Key, int], programmes: Sequence[str], months: Sequence[str]
) -> list[Relation]:
    """The relations among one package's cells: months `months`, cumulated up to the last."""
    cum = cumulated(months[-1])
    periods = [*months, cum]
    found: list[Relation | None] = []
    for period in periods:
        for field in FIELDS:
            # "all" counts distinct citizens: at most the programmes' sum (equal unless one
            # citizen was in two programmes).
            terms = [((ALL, period, field), 1)] + [((p, period, field), -1) for p in programmes]
            found.append(_relation(values, terms))
        for programme in (*programmes, ALL):
            found.append(
                _relation(
                    values,
                    [((programme, period, "exits"), 1)]
                    + [((programme, period, f), -1) for f in EXIT_FIELDS[1:]],
                    always_le=False,
                )
            )
    for programme in (*programmes, ALL):
        found.append(
            _relation(
                values,
                [
                    ((programme, cum, "participants"), 1),
                    ((programme, cum, "active_end"), -1),
                    ((programme, cum, "exits"), -1),
                ],
                always_le=False,
            )
        )
        found.append(
            _relation(
                values,
                [((programme, cum, "active_end"), 1), ((programme, months[-1], "active_end"), -1)],
                always_le=False,
            )
        )
        for field in EXIT_FIELDS:
            found.append(
                _relation(
                    values,
                    [((programme, m, field), 1) for m in months] + [((programme, cum, field), -1)],
                )
            )
        for month in months:
            found.append(
                _relation(
                    values,
                    [
                        ((programme, month, "participants"), 1),
                        ((programme, cum, "participants"), -1),
                    ],
                )
            )
    return [r for r in found if r is not None]


def link_relations(
    values: Mapping[Key, int], programmes: Sequence[str], before: str, month: str
) -> list[Relation]:
    """What ties two packages a month apart: the later cumulated exits are the earlier plus the month's."""
    found = []
    for programme in (*programmes, ALL):
        for field in EXIT_FIELDS:
            found.append(
                _relation(
                    values,
                    [
                        ((programme, cumulated(month), field), 1),
                        ((programme, cumulated(before), field), -1),
                        ((programme, month, field), -1),
                    ],
                    always_le=False,
                )
            )
        found.append(
            _relation(
                values,
                [
                    ((programme, cumulated(before), "participants"), 1),
                    ((programme, cumulated(month), "participants"), -1),
                ],
            )
        )
    return [r for r in found if r is not None]


def primary(values: Mapping[Key, int], min_cell: int) -> set[Key]:
    """Every count from 1 to min_cell - 1 (0 is published)."""
    return {key for key, value in values.items() if 0 < value < min_cell}


def bounds(
    values: Mapping[Key, int | None],
    suppressed: Iterable[Key],
    relations: Sequence[Relation],
    memo: dict | None = None,
    enough: float | None = None,
    wide: Mapping[Key, tuple[float, float]] | None = None,
) -> dict[Key, tuple[float, float]]:
    """The interval each suppressed count can be narrowed to from the published ones: one linear
    program per bound, per group of suppressed counts the relations tie together. With
    `enough`, an interval shown at least that wide by the solutions met on the way is given as
    those solutions span it (no narrower than `enough`, perhaps narrower than it is), and so is
    one in `wide` (an interval found before under the same relations with fewer counts
    suppressed: hiding more only widens it)."""
    hidden = sorted(set(suppressed))
    index = {key: i for i, key in enumerate(hidden)}
    parent = list(range(len(hidden)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = []
    for relation in relations:
        coefs, constant = {}, 0
        for key, coef in relation.terms:
            if key in index:
                coefs[index[key]] = coefs.get(index[key], 0) + coef
            else:
                constant += coef * values[key]
        coefs = {i: c for i, c in coefs.items() if c}
        if not coefs:
            continue
        rows.append((coefs, constant, relation.equal))
        first = root(next(iter(coefs)))
        for i in coefs:
            parent[root(i)] = first
    groups: dict[int, list[int]] = {}
    for i in range(len(hidden)):
        groups.setdefault(root(i), []).append(i)
    group_rows: dict[int, list] = {}
    for row in rows:
        group_rows.setdefault(root(next(iter(row[0]))), []).append(row)
    found = {}
    for group, members in groups.items():
        keys = [hidden[i] for i in members]
        group_of = group_rows.get(group, [])
        # The same group with the same sums (a month untouched by the latest choice) is
        # solved once per export.
        signature = (
            tuple(keys),
            frozenset(
                (tuple(sorted((hidden[i], c) for i, c in coefs.items())), constant, equal)
                for coefs, constant, equal in group_of
            ),
        )
        if memo is not None and signature in memo:
            found.update(memo[signature])
            continue
        solved = _group_bounds(keys, members, group_of, enough, wide)
        if memo is not None:
            memo[signature] = solved
        found.update(solved)
    return found


def _group_bounds(
    keys: list[Key],
    members: list[int],
    rows: list,
    enough: float | None = None,
    wide: Mapping[Key, tuple[float, float]] | None = None,
) -> dict[Key, tuple[float, float]]:
    """Each cell's least and greatest value: one model, its objective changed per bound, so
    each solve starts from the last one's basis."""
    local = {i: n for n, i in enumerate(members)}
    size = len(members)
    highs = highspy.Highs()
    highs.silent()
    infinity = highspy.kHighsInf
    highs.addVars(size, np.zeros(size), np.full(size, infinity))
    for coefs, constant, equal in rows:
        indices = np.array([local[i] for i in coefs], dtype=np.int32)
        weights = np.array(list(coefs.values()), dtype=np.float64)
        highs.addRow(-constant if equal else -infinity, -constant, len(indices), indices, weights)
    # Every solution is a point the counts may take: where the points seen already spread a
    # cell over `enough`, its interval is at least that wide and needs no programs of its own.
    seen_low, seen_high = np.full(size, np.inf), np.full(size, -np.inf)

    def solve() -> highspy.HighsModelStatus:
        nonlocal seen_low, seen_high
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            point = np.array(highs.getSolution().col_value)
            seen_low, seen_high = np.minimum(seen_low, point), np.maximum(seen_high, point)
        return status

    def spread(n: int) -> bool:
        return enough is not None and seen_high[n] - seen_low[n] >= enough

    if enough is not None:
        for sign in (1.0, -1.0):  # the least and the greatest of all at once
            highs.changeColsCost(size, np.arange(size, dtype=np.int32), np.full(size, sign))
            solve()
        highs.changeColsCost(size, np.arange(size, dtype=np.int32), np.zeros(size))
    found = {}
    for n, key in enumerate(keys):
        if enough is not None and wide and key in wide:
            found[key] = wide[key]
            continue
        if spread(n):
            found[key] = (float(seen_low[n]), float(seen_high[n]))
            continue
        ends = []
        for sign in (1.0, -1.0):
            if sign < 0 and spread(n):
                ends.append(float(seen_high[n]))
                break
            highs.changeColCost(n, sign)
            status = solve()
            if status == highspy.HighsModelStatus.kOptimal:
                ends.append(sign * highs.getInfo().objective_function_value)
            elif (
                status
                in (
                    highspy.HighsModelStatus.kUnbounded,
                    highspy.HighsModelStatus.kUnboundedOrInfeasible,
                )
                and sign < 0
            ):
                ends.append(float("inf"))
            else:
                raise ValueError(f"the package's counts are inconsistent ({status})")
        highs.changeColCost(n, 0.0)
        found[key] = (ends[0], ends[1])
    return found


def narrow(found: Mapping[Key, tuple[float, float]], min_cell: int) -> list[Key]:
    """The suppressed counts pinned to an interval narrower than min_cell."""
    return sorted(key for key, (low, high) in found.items() if high - low < min_cell - TOLERANCE)
