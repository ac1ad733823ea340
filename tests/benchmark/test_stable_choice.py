"""The secondary suppressions chosen for given counts do not change with the code's speed-ups: a
peer who holds a package made before an upgrade and one made after, of the same months, could
otherwise subtract them. Float noise is enough to change a choice (the widths of pinned cells
tie, and their order picks the partners): HiGHS's primal simplex instead of its default choice
changes this year's choice in 2 of 189 cells.

`data/odense_2018_min3_suppressed.json` holds the cells chosen by the code before the export was
made faster (the demo's Odense generator, a year of 2018, min_cell 3), written once by it."""

from __future__ import annotations

import json
from pathlib import Path

from contracts.services.benchmark.secondary import choose
from contracts.services.demo.benchmark_peers import PEERS, STANDARD_PROGRAMMES, synthetic_values

CHOSEN = Path(__file__).parent / "data" / "odense_2018_min3_suppressed.json"
YEAR = [f"2018-{month:02d}" for month in range(1, 13)]


def test_a_year_suppresses_the_cells_it_suppressed_before():
    _name, _cvr, seed, newcomers = PEERS["odense"]
    codes = [programme.code for programme in STANDARD_PROGRAMMES]

    chosen = choose(synthetic_values(YEAR, seed, newcomers), codes, YEAR, 3)

    before = {tuple(cell) for cell in json.loads(CHOSEN.read_text(encoding="utf-8"))}
    assert sorted(chosen - before) == []
    assert sorted(before - chosen) == []
