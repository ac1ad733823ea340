"""The review's flag counts are counted in SQL over all lines (a large report's page flags only
the lines it shows, issue 16), while each line's flags come from `rules.review_flags`: the two
must agree on every line, at the edges too (95 % of the ceiling to the hundredth, on full and
partial months, delivered just above planned, absence one hundredth off what was notified)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.models import Contract
from contracts.rules.review_flags import FLAG_KINDS
from contracts.services import notices, report_review
from contracts.services.audit import Actor
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.factories import make_report
from tests.scenarios import sample_scenario

REFS = [f"DL-{n:05d}" for n in range(1, 61)]
HEADER = (
    "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason\n"
)
# January's ceiling is 163.86 h, 95 % of it 155.667: lines step across it by the hundredth; an
# exit on the 14th makes 14 days, a ceiling of 74 h and 95 % of it exactly 70.30 h.
FULL = [Decimal("155.60") + Decimal(n) / 100 for n in range(12)]
PARTIAL = [Decimal("70.28") + Decimal(n) / 100 for n in range(5)]


def _line(n: int, ref: str) -> str:
    kind = n % 5
    if kind == 0:
        hours = FULL[n % len(FULL)]
        return f"{ref},{hours},{hours - Decimal('0.01')},0,active,,\n"
    if kind == 1:
        hours = PARTIAL[n // 5 % len(PARTIAL)]
        return f"{ref},{hours},20,0,exited,2019-01-14,job\n"
    if kind == 2:
        return f"{ref},100,{Decimal('100.00') + Decimal(n % 3 - 1) / 100},0,active,,\n"
    if kind == 3:
        return f"{ref},40,30,{Decimal(4) + Decimal(n % 3 - 1) / 100},active,,\n"
    return f"{ref},40,30,,active,,\n"


def test_the_counts_in_sql_are_the_flags_of_every_line(app):
    with app.app_context():
        scenario = sample_scenario(db.session, refs=REFS)
        contract = db.session.get(Contract, scenario.contract_id)
        provider = Viewer(None, "provider", scenario.provider_id)
        # Four hours of absence notified for each participant of the fourth kind.
        for n, ref in enumerate(REFS):
            if n % 5 == 3:
                notices.record(
                    db.session,
                    Actor("test"),
                    provider,
                    contract.id,
                    participant_ref=ref,
                    kind="absence",
                    on=date(2019, 1, 8),
                    today=date(2019, 1, 20),
                    hours=Decimal(4),
                )
        csv = HEADER + "".join(_line(n, ref) for n, ref in enumerate(REFS))
        report = make_report(db.session, contract, csv.encode(), status="submitted")
        db.session.commit()
        review = report_review.review(db.session, report, contract)
        by_rules = dict.fromkeys(FLAG_KINDS, 0)
        for _shown, flags in review.flags:
            for flag in flags:
                by_rules[flag.kind] += 1
        assert review.flag_counts == by_rules
        # Every kind is met and missed at its edge, so the comparison is not of zeros.
        assert all(0 < count < len(REFS) // 5 + 1 for count in by_rules.values()), by_rules
