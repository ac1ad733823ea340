"""A contract's milestone terms (DESIGN.md §15) as OCDS `contracts[].milestones`.

One `payment` milestone per milestone of the terms (`start`, and `week13`/`week26` when the
contract has them), its `code` the portal's. OCDS 1.1 milestones carry no value field (one came
only with 1.2), so the amount per participant is written in the description, in Danish as the
release's `language` says, with the clawback window when the terms have one. Contracts without
later milestones get none: their export stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .formatting import money

TITLES = {"start": "Start i job/uddannelse", "week13": "13 uger", "week26": "26 uger"}
REACHED = {
    "start": "når deltageren afgår til job eller uddannelse",
    "week13": "når jobbet eller uddannelsen har varet 13 uger (91 dage)",
    "week26": "når jobbet eller uddannelsen har varet 26 uger (182 dage)",
}


@dataclass(frozen=True)
class MilestoneData:
    """A milestone of the price terms: its code and what reaching it pays per participant."""

    code: str
    amount: Decimal


def _description(milestone: MilestoneData, clawback_days: int | None) -> str:
    text = f"{money(milestone.amount)} pr. deltager, {REACHED[milestone.code]}."
    if clawback_days is not None:
        text += (
            f" Betalingen tilbageføres, hvis deltageren er tilbage på ydelse inden for "
            f"{clawback_days} dage efter milepælen."
        )
    return text


def milestone_objects(milestones: list[MilestoneData], clawback_days: int | None) -> list[dict]:
    """The OCDS milestones of a contract's terms, in the terms' order."""
    return [
        {
            "id": f"milestone-{m.code}",
            "title": TITLES[m.code],
            "type": "payment",
            "code": m.code,
            "description": _description(m, clawback_days),
        }
        for m in milestones
    ]
