"""An attacker's own linear program over what a package publishes (DESIGN.md §12), written
apart from the export's code: the unknowns are the suppressed counts, the sums are those the
package states (programmes add up to "all", exits are their three kinds, cumulated
participants are active plus exits) and, for two packages a month apart, that the later
cumulated exits are the earlier plus the month's. SciPy's linprog, not the export's solver."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

FIELDS = ("participants", "active_end", "exits", "positive", "benefit_stopped", "other")
KINDS = ("positive", "benefit_stopped", "other")


def _cells(package: dict, tag: str) -> dict:
    cells = {}
    for cell in package["cells"]:
        month = cell["month"]
        period = f"{tag}:{month}" if month == "cumulative" else month
        for field in FIELDS:
            cells[(cell["programme"], period, field)] = cell[field]
    return cells


def _sums(cells: dict, tag: str) -> list[tuple[dict, bool]]:
    """Each sum as ({key: coefficient}, is_equality): Σ coefficient × value = 0 (or ≤ 0)."""
    programmes = sorted({p for p, _m, _f in cells if p != "all"})
    periods = sorted({m for _p, m, _f in cells})
    sums = []
    for period in periods:
        for field in FIELDS:
            terms = {("all", period, field): 1}
            terms.update({(p, period, field): -1 for p in programmes})
            # "all" counts distinct citizens: at most the programmes' sum.
            sums.append((terms, field != "participants"))
        for programme in (*programmes, "all"):
            terms = {(programme, period, "exits"): 1}
            terms.update({(programme, period, kind): -1 for kind in KINDS})
            sums.append((terms, True))
            if period.endswith("cumulative"):
                sums.append(
                    (
                        {
                            (programme, period, "participants"): 1,
                            (programme, period, "active_end"): -1,
                            (programme, period, "exits"): -1,
                        },
                        True,
                    )
                )
    return sums


def attack(*packages: dict) -> dict:
    """The interval each suppressed count is pinned to, from one package or two a month apart."""
    cells, sums = {}, []
    for n, package in enumerate(packages):
        own = _cells(package, f"p{n}")
        for key, value in own.items():
            if key in cells and cells[key] is not None and value is None:
                continue
            cells[key] = value if cells.get(key) is None else cells[key]
        sums += _sums(own, f"p{n}")
    if len(packages) == 2:
        last = packages[1]["period"]["to"]
        programmes = {p for p, _m, _f in cells}
        for programme in programmes:
            for field in ("exits", *KINDS):
                sums.append(
                    (
                        {
                            (programme, "p1:cumulative", field): 1,
                            (programme, "p0:cumulative", field): -1,
                            (programme, last, field): -1,
                        },
                        True,
                    )
                )
    unknown = sorted(k for k, v in cells.items() if v is None)
    index = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for terms, equal in sums:
        row, constant = np.zeros(len(unknown)), 0.0
        for key, coef in terms.items():
            if key in index:
                row[index[key]] += coef
            else:
                constant += coef * cells[key]
        if not row.any():
            continue
        (a_eq if equal else a_ub).append(row)
        (b_eq if equal else b_ub).append(-constant)
    found = {}
    for key, i in index.items():
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(unknown))
            c[i] = sign
            result = linprog(
                c,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=b_eq or None,
                A_ub=np.array(a_ub) if a_ub else None,
                b_ub=b_ub or None,
                bounds=(0, None),
            )
            ends.append(np.inf if result.status == 3 else sign * result.fun)
        found[key] = (ends[0], ends[1])
    return found
