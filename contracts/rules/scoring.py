"""Rates and the composite score from counts (DESIGN.md §7). A zero denominator gives None.

`sustained_13` and `sustained_26` (§7, §15) are the shares of positive exits whose job or
education verifiably lasted 13 and 26 weeks, counted only on contracts that pay that milestone
(`contracts.services.sustained` counts them in SQL). "Verifiably" means a claim of the milestone
that is payable and not rejected: verified by procurement, or not drawn for a check and so
payable on the provider's word the day it was made. A claim drawn for a check counts once
verified; a rejected one never; nor one whose milestone day falls after a recorded relapse
(never reached). A share is empty ("too early") until a positive exit in scope is old enough to
tell: its exit date + 91 (+ 182) days on or before the period's end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

MIN_EXITS_TO_SCORE = 5
Z95 = 1.959963984540054


def rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator as a Decimal fraction, or None when the denominator is zero."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The 95 % Wilson score interval for a proportion; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Sustained:
    """Per milestone: positive exits old enough to tell, and those that verifiably lasted.

    None for a milestone no contract in the scope pays (the share does not apply there).
    """

    old_13: int | None = None
    lasted_13: int | None = None
    old_26: int | None = None
    lasted_26: int | None = None

    @property
    def applies(self) -> bool:
        """Whether any contract in the scope pays a later milestone."""
        return self.old_13 is not None or self.old_26 is not None

    # Each share is None where its milestone does not apply, and while too early to tell.
    @property
    def share_13(self) -> Decimal | None:
        return None if self.old_13 is None else rate(self.lasted_13 or 0, self.old_13)

    @property
    def share_13_ci(self) -> tuple[float, float] | None:
        return None if self.old_13 is None else wilson_interval(self.lasted_13 or 0, self.old_13)

    @property
    def share_26(self) -> Decimal | None:
        return None if self.old_26 is None else rate(self.lasted_26 or 0, self.old_26)

    @property
    def share_26_ci(self) -> tuple[float, float] | None:
        return None if self.old_26 is None else wilson_interval(self.lasted_26 or 0, self.old_26)

    def as_json(self) -> dict:
        """The shares as the API gives them: fractions (strings) and intervals, null where empty."""
        return {
            "sustained_13": fraction(self.share_13),
            "sustained_13_ci": interval(self.share_13_ci),
            "sustained_26": fraction(self.share_26),
            "sustained_26_ci": interval(self.share_26_ci),
        }


NOT_APPLICABLE = Sustained()


def fraction(value: Decimal | None) -> str | None:
    """A rate as the API gives it: a decimal string rounded to 4 places, null where undefined."""
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def interval(ci: tuple[float, float] | None) -> list[float] | None:
    """An interval as the API gives it: two fractions rounded to 4 places, null where undefined."""
    return None if ci is None else [round(ci[0], 4), round(ci[1], 4)]


@dataclass(frozen=True)
class Figures:
    """A scope's figures for a period, with the rates derived from its counts and sums."""

    participants: int
    active_end: int
    exits: int
    positive: int
    benefit_stopped: int
    other: int
    hours_planned: Decimal
    hours_delivered: Decimal
    absence_hours: Decimal
    w_outcome: Decimal = Decimal("0.6")
    w_delivery: Decimal = Decimal("0.4")
    # Only in cumulated figures: a month's own exits are never 13 weeks old by its end.
    sustained: Sustained = NOT_APPLICABLE

    @property
    def outcome_rate(self) -> Decimal | None:
        return rate(self.positive, self.exits)

    @property
    def placement_rate(self) -> Decimal | None:
        return rate(self.positive, self.participants)

    @property
    def delivery_rate(self) -> Decimal | None:
        return rate(self.hours_delivered, self.hours_planned)

    @property
    def absence_rate(self) -> Decimal | None:
        return rate(self.absence_hours, self.hours_planned)

    @property
    def outcome_rate_ci(self) -> tuple[float, float] | None:
        return wilson_interval(self.positive, self.exits)

    @property
    def score(self) -> Decimal | None:
        """100 × (w_outcome × outcome rate + w_delivery × delivery rate); None under 5 exits."""
        if (
            self.exits < MIN_EXITS_TO_SCORE
            or self.outcome_rate is None
            or self.delivery_rate is None
        ):
            return None
        return 100 * (self.w_outcome * self.outcome_rate + self.w_delivery * self.delivery_rate)

    def as_json(self) -> dict:
        """The §8 score object: counts, rates as fractions (strings rounded to 4 places), null where undefined."""

        return {
            "participants": self.participants,
            "active_end": self.active_end,
            "exits": self.exits,
            "positive": self.positive,
            "benefit_stopped": self.benefit_stopped,
            "other": self.other,
            "outcome_rate": fraction(self.outcome_rate),
            "outcome_rate_ci": interval(self.outcome_rate_ci),
            "placement_rate": fraction(self.placement_rate),
            "delivery_rate": fraction(self.delivery_rate),
            "absence_rate": fraction(self.absence_rate),
            "score": None if self.score is None else str(self.score.quantize(Decimal("0.1"))),
            **self.sustained.as_json(),
        }
