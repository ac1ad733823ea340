"""Synthetic monthly and cumulated counts with many small cells, as the scores would hold them."""

from __future__ import annotations

import random

from contracts.services.benchmark.suppression import ALL, FIELDS, cumulated

PROGRAMMES = ("adult-employment", "utility-work", "youth-bridging", "youth-placement")


def generated_values(months: list[str], seed: int, newcomers=(0, 6), exits=(0, 3)) -> dict:
    rng = random.Random(seed)
    values = {}
    for programme in PROGRAMMES:
        active, totals = rng.randint(0, 12), dict.fromkeys(FIELDS[2:], 0)
        for month in months:
            participants = active + rng.randint(*newcomers)
            kinds = [rng.randint(*exits) for _ in range(3)]
            while sum(kinds) > participants:
                kinds[kinds.index(max(kinds))] -= 1
            counts = dict(zip(FIELDS[3:], kinds, strict=True))
            counts["exits"] = sum(kinds)
            active = participants - counts["exits"]
            values.update({(programme, month, f): v for f, v in counts.items()})
            values[(programme, month, "participants")] = participants
            values[(programme, month, "active_end")] = active
            cum = cumulated(month)
            for field in FIELDS[2:]:
                totals[field] += counts[field]
                values[(programme, cum, field)] = totals[field]
            values[(programme, cum, "active_end")] = active
            values[(programme, cum, "participants")] = active + totals["exits"]
    for month in months:
        for period in (month, cumulated(month)):
            for field in FIELDS:
                values[(ALL, period, field)] = sum(values[(p, period, field)] for p in PROGRAMMES)
    return values
