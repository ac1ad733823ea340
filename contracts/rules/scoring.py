"""Rates and the composite score from counts (DESIGN.md §7). A zero denominator gives None."""

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

        def fraction(value: Decimal | None) -> str | None:
            return None if value is None else str(value.quantize(Decimal("0.0001")))

        ci = self.outcome_rate_ci
        return {
            "participants": self.participants,
            "active_end": self.active_end,
            "exits": self.exits,
            "positive": self.positive,
            "benefit_stopped": self.benefit_stopped,
            "other": self.other,
            "outcome_rate": fraction(self.outcome_rate),
            "outcome_rate_ci": None if ci is None else [round(ci[0], 4), round(ci[1], 4)],
            "placement_rate": fraction(self.placement_rate),
            "delivery_rate": fraction(self.delivery_rate),
            "absence_rate": fraction(self.absence_rate),
            "score": None if self.score is None else str(self.score.quantize(Decimal("0.1"))),
        }
