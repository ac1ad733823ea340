"""Choosing the secondary suppressions: few and small, and the same from one month's export to the
next, so two packages in a row cannot be subtracted to reveal a count.

A month's cells are chosen from that month's table alone (its programmes, "all" and the exit
split), so a month is suppressed alike in every package that holds it. The packages are then
built one month at a time from the period's first: each step proves, by linear program, the
package up to that month together with the one before it (what a peer holding both knows), and
where a count is too narrow suppresses one more cell, the smallest that helps, taken first from
the new cumulated cells, then from the new month, and only then elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...rules.problems import N_
from .. import DomainError
from .suppression import (
    ALL,
    FIELDS,
    TOLERANCE,
    Key,
    Relation,
    bounds,
    cumulated,
    link_relations,
    narrow,
    package_relations,
    primary,
)

# A step adds at most this many suppressions before it gives up (never reached in practice).
MAX_ADDED = 500


def _local_rounds(
    values: Mapping[Key, int], suppressed: set[Key], relations: Sequence[Relation], min_cell: int
) -> None:
    """Within one period's table: each equality holding a suppressed count holds at least two,
    worth together at least min_cell, adding its smallest published cells until it does."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if not relation.equal:
                continue
            keys = [key for key, _coef in relation.terms]
            hidden = [k for k in keys if k in suppressed]
            if not hidden:
                continue
            worth = sum(values[k] for k in hidden)
            if len(hidden) >= 2 and worth >= min_cell:
                continue
            candidates = sorted((values[k], k) for k in keys if k not in suppressed)
            if not candidates:
                continue
            enough = [c for c in candidates if c[0] + worth >= min_cell and c[0] > 0]
            chosen = enough[0] if enough else candidates[-1]
            suppressed.add(chosen[1])
            changed = True


def _period_table(relations: Sequence[Relation], period: str) -> list[Relation]:
    return [r for r in relations if all(key[1] == period for key, _c in r.terms)]


def _linked(relations: Sequence[Relation]) -> tuple[list[list[Key]], dict[Key, list[int]]]:
    """Each relation's cells, and by cell the relations holding it: `_helpers` walks from cell
    to cell hundreds of times a package, and scanning every relation each time was half the
    export's time."""
    cells = [[k for k, _c in relation.terms] for relation in relations]
    holding: dict[Key, list[int]] = {}
    for number, keys in enumerate(cells):
        for key in keys:
            holding.setdefault(key, []).append(number)
    return cells, holding


def _helpers(
    linked: tuple[list[list[Key]], dict[Key, list[int]]],
    key: Key,
    suppressed: set[Key],
    periods: set[str],
) -> list:
    """Published cells that may still be suppressed, sharing a relation with `key` or, where
    those are all suppressed, with the suppressed cells it is tied to (nearest first)."""
    cells, holding = linked
    reached, frontier = {key}, {key}
    while frontier:
        found, ahead = set(), set()
        for number in {n for k in frontier for n in holding.get(k, ())}:
            keys = cells[number]
            found.update(k for k in keys if k not in suppressed and k[1] in periods)
            ahead.update(k for k in keys if k in suppressed and k not in reached)
        if found:
            return sorted(found)
        reached.update(ahead)
        frontier = ahead
    return []


def choose(
    values: Mapping[Key, int],
    programmes: Sequence[str],
    months: Sequence[str],
    min_cell: int,
) -> set[Key]:
    """The cells to suppress in the package of `months` (cumulated up to the last).

    `values` holds every month's cells and the cumulated cells of every month. Raises
    DomainError when no choice protects every suppressed count (refused export).
    """
    small = primary(values, min_cell)
    suppressed = set(small)
    for step, month in enumerate(months):
        table = package_relations(values, programmes, [month])
        _local_rounds(values, suppressed, _period_table(table, month), min_cell)
        # Two cumulated cells a month apart differ by the month's cell: a month's hidden cell
        # hides its cumulated one, and a small cumulated cell hides the next month's.
        cum = cumulated(month)
        for programme in (*programmes, ALL):
            for field in FIELDS:
                if (programme, month, field) in suppressed or (
                    step and (programme, cumulated(months[step - 1]), field) in small
                ):
                    suppressed.add((programme, cum, field))
        _local_rounds(values, suppressed, _period_table(table, cum), min_cell)
    # The packages up to each month in turn, each proved with the one before it (a peer may
    # hold both): what a step adds to an older month stays for the steps after it.
    previous: set[Key] = set()
    memo: dict = {}
    for step in range(len(months)):
        shown = months[: step + 1]
        last = cumulated(shown[-1])
        periods = {*shown, last}
        hidden = {k for k in suppressed if k[1] in periods}
        relations = package_relations(values, programmes, shown)
        if step:
            relations += link_relations(values, programmes, shown[-2], shown[-1])
            relations += [
                r
                for r in package_relations(values, programmes, shown[:-1])
                if any(k[1] == cumulated(shown[-2]) for k, _c in r.terms)
            ]
            hidden |= previous
        _prove(values, hidden, small, relations, ({shown[-1], last}, periods), min_cell, memo)
        # What the step published (a newest cell known anyway) stays published after it.
        suppressed = {k for k in suppressed if k[1] not in shown} | {
            k for k in hidden if k[1] in shown
        }
        previous = {k for k in hidden if k[1] == last}
    return {k for k in hidden if k[1] in periods}


def _prove(
    values: Mapping[Key, int],
    suppressed: set[Key],
    small: set[Key],
    relations: Sequence[Relation],
    choices: tuple[set[str], set[str]],
    min_cell: int,
    memo: dict,
) -> None:
    """Suppress more until the linear program bounds every suppressed count no narrower than
    min_cell: partners from the newest month and cumulated cells first, then any; where no
    partner helps, the newest cells of the programme and "all" go whole, then every cell."""
    fresh, periods = choices
    cells = {k for r in relations for k, _c in r.terms if k[1] in periods}
    linked = _linked(relations)
    escalated = 0
    # Cells already shown wide enough stay so: each round only suppresses more.
    wide: dict[Key, tuple[float, float]] = {}
    for _ in range(MAX_ADDED):
        found = bounds(values, suppressed, relations, memo, enough=min_cell, wide=wide)
        pinned = set(narrow(found, min_cell))
        wide.update((k, v) for k, v in found.items() if k not in pinned)
        # A secondary cell the published ones determine exactly tells nothing new when
        # published (it is 0 or min_cell or more): it is published at the end.
        known = {k for k in found if k not in small and found[k][1] - found[k][0] < TOLERANCE}
        tight = [k for k in narrow(found, min_cell) if k not in known]
        if not tight:
            suppressed.difference_update(k for k in known if k[1] in periods)
            return
        # Each pinned cell gets one more partner, the smallest that may still go.
        added: set[Key] = set()
        if not escalated:
            for key in sorted(tight, key=lambda k: (found[k][1] - found[k][0], k)):
                blocked = suppressed | known | added
                worth = _helpers(linked, key, blocked, fresh) or _helpers(
                    linked, key, blocked, periods
                )
                if worth:
                    added.add(min(worth, key=lambda k: (values[k] == 0, values[k], k[0] == ALL, k)))
        if added:
            suppressed.update(added)
            continue
        escalated += 1
        if escalated == 1:
            suppressed.update(k for k in cells if k[1] in fresh and k[0] in (tight[0][0], ALL))
        elif escalated == 2:
            suppressed.update(k for k in cells if k[0] in {t[0] for t in tight} | {ALL})
        else:
            raise _unprotectable()
    raise _unprotectable()


def _unprotectable() -> DomainError:
    return DomainError(
        N_(
            "The figures cannot be published without revealing a small count; choose a longer "
            "period."
        )
    )
