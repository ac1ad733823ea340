"""The pure rules of contracts paid by milestones (DESIGN.md §15)."""

from datetime import date
from decimal import Decimal

from contracts.rules import milestones as rules


def test_week13_and_week26_fall_91_and_182_days_after_the_start():
    assert rules.milestone_on("week13", date(2019, 1, 1)) == date(2019, 4, 2)
    assert rules.milestone_on("week26", date(2019, 1, 1)) == date(2019, 7, 2)


def test_a_claim_before_its_day_is_refused_naming_the_day():
    problems = rules.claim_problems(
        "week13", date(2019, 1, 1), date(2019, 4, 1), None, Decimal(30), "12345678", None
    )
    assert [p.field for p in problems] == ["milestone"]
    assert "2019-04-02" in problems[0].message
    assert not rules.claim_problems(
        "week13", date(2019, 1, 1), date(2019, 4, 2), None, Decimal(30), "12345678", None
    )


def test_a_claim_of_a_milestone_after_the_relapse_is_refused():
    problems = rules.claim_problems(
        "week26", date(2019, 1, 1), date(2019, 8, 1), date(2019, 6, 30), Decimal(30), None, "KEA"
    )
    assert len(problems) == 1 and "never reached" in problems[0].message


def test_a_claim_needs_evidence_and_sensible_hours():
    problems = rules.claim_problems(
        "week13", date(2019, 1, 1), date(2019, 5, 1), None, Decimal(0), None, None
    )
    assert {p.field for p in problems} == {"weekly_hours", "evidence"}


def test_the_check_draw_is_reproducible_and_near_its_share():
    draws = [rules.check_required(7, f"DL-{n:05d}", "week13", Decimal("0.2")) for n in range(2000)]
    again = [rules.check_required(7, f"DL-{n:05d}", "week13", Decimal("0.2")) for n in range(2000)]
    assert draws == again
    assert 320 <= sum(draws) <= 480
    assert not rules.check_required(7, "DL-00001", "week13", Decimal(0))
    assert rules.check_required(7, "DL-00001", "week13", Decimal(1))


def test_a_claim_is_payable_when_made_or_when_verified_and_never_when_rejected():
    made, decided = date(2019, 5, 3), date(2019, 6, 2)
    assert rules.payable_on(False, "claimed", made, None) == made
    assert rules.payable_on(True, "claimed", made, None) is None
    assert rules.payable_on(True, "verified", made, decided) == decided
    assert rules.payable_on(False, "rejected", made, decided) is None


def test_a_paid_milestone_is_taken_back_within_the_window_or_when_never_reached():
    relapse = date(2019, 6, 30)
    assert rules.taken_back(date(2019, 6, 1), relapse, 30)
    assert not rules.taken_back(date(2019, 5, 30), relapse, 30)
    assert rules.taken_back(date(2019, 7, 1), relapse, None)  # after the relapse: never reached
    assert not rules.taken_back(date(2019, 6, 1), relapse, None)  # no window, nothing taken back


def test_terms_refuse_an_unknown_code_a_negative_amount_and_a_negative_window():
    problems = rules.terms_problems([("week52", Decimal(1)), ("week13", Decimal(-1))], -1)
    assert [p.field for p in problems] == ["milestones", "milestones", "clawback_days"]
    assert rules.effective_milestones(Decimal(500), {"week26": Decimal(9)}) == [
        ("start", Decimal(500)),
        ("week26", Decimal(9)),
    ]
