"""The evaluation price of a lot that asks for milestone prices (DESIGN.md §15): the outcome
bonus term becomes Σ expected share × amount over start, week13 and week26, rounded half up
once; a lot without them is priced exactly as §3 says."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from contracts.rules.tendering import (
    BidTerms,
    evaluation_price,
    milestone_shares_problems,
    score_lot,
)

D = Decimal
WHEN = datetime(2019, 3, 1, tzinfo=UTC)


def test_each_milestone_is_weighed_by_its_share_and_the_sum_rounded_half_up_once():
    # 1000 + 10 × 50 + 0.15 × 333.33 + 0.10 × 333.33 + 0.05 × 333.33 = 1599.999 → 1600.00.
    later = ((D("0.10"), D("333.33")), (D("0.05"), D("333.33")))
    assert evaluation_price(D("1000"), D("50"), D("333.33"), D("10"), D("0.15"), later) == D(
        "1600.00"
    )
    # Rounded once: 3 × 0.10 × 0.05 = 0.015 → 0.02, where rounding each term would give 0.03.
    later = ((D("0.10"), D("0.05")), (D("0.10"), D("0.05")))
    assert evaluation_price(D(0), D(0), D("0.05"), D(0), D("0.10"), later) == D("0.02")
    # A term ending in exactly half an øre goes up: 0.125 × 0.20 = 0.025 → 0.03.
    assert evaluation_price(D(0), D(0), D("0.20"), D(0), D("0.125")) == D("0.03")


def test_a_lot_without_milestone_prices_scores_as_before():
    bids = [
        BidTerms(1, D("10000"), D("40"), D("10000"), D("9"), WHEN),
        BidTerms(2, D("9000"), D("45"), D("20000"), D("6"), WHEN),
    ]
    plain = score_lot(bids, D("80"), D("0.15"), D("0.6"), D("0.4"))
    assert [(s.bid_id, s.evaluation_price, s.total) for s in plain] == [
        (1, D("14700.00"), D("9.60")),
        (2, D("15600.00"), D("8.05")),
    ]
    assert score_lot(bids, D("80"), D("0.15"), D("0.6"), D("0.4"), {}) == plain


def test_lasting_results_can_turn_the_ranking():
    """A bid that is cheap at the start but dear for lasting results loses its lead once the
    later milestones are priced: the shares make the dearer start bid the cheaper one."""
    later = {"week13": D("0.10"), "week26": D("0.08")}
    cheap_start = BidTerms(
        1,
        D("9000"),
        D("45"),
        D("5000"),
        D(5),
        WHEN,
        (("week13", D("20000")), ("week26", D("20000"))),
    )
    dear_start = BidTerms(
        2,
        D("9000"),
        D("45"),
        D("12000"),
        D(5),
        WHEN,
        (("week13", D("4000")), ("week26", D("4000"))),
    )
    table = score_lot([cheap_start, dear_start], D("80"), D("0.15"), D("0.6"), D("0.4"), later)
    # 1: 12600 + 750 + 2000 + 1600 = 16950.00; 2: 12600 + 1800 + 400 + 320 = 15120.00.
    assert [(s.bid_id, s.evaluation_price) for s in table] == [
        (2, D("15120.00")),
        (1, D("16950.00")),
    ]


def test_shares_must_not_grow_from_one_milestone_to_the_next():
    assert milestone_shares_problems("lot", D("0.15"), D("0.15"), D("0.15"), 0) == []
    assert milestone_shares_problems("lot", D("0.15"), None, None, None) == []
    fields = [
        p.field for p in milestone_shares_problems("lot", D("0.15"), D("0.10"), D("0.11"), None)
    ]
    assert fields == ["lot.expected_week13_rate"]
    fields = [p.field for p in milestone_shares_problems("lot", D("0.15"), None, None, 30)]
    assert fields == ["lot.clawback_days"]
