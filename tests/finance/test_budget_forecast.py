"""The budget statement's forecast from the run rate (the last three invoiced months of each
running contract, never one invoice for a year) and the committed spend of the open enrolments,
by hand, through the service, in the words under the chart, and on the demo's 2019."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contracts.documents.budget import (
    BudgetStatement,
    Commitment,
    ContractRate,
    ProgrammeSpend,
    budget_statement_pdf,
)
from contracts.models import Enrolment, Participant
from contracts.services.budget import budget_statement
from provider_portal.extensions import db
from tests.factories import make_contract
from tests.finance.demo_approvals import approve_demo
from tests.finance.documents import BUYER, RENDERER
from tests.finance.helpers import FINANCE
from tests.finance.queue import pdf_text

BUDGET = Decimal("12600000.00")
D = Decimal
# January 2019: contract A's invoice approved, B's still waiting; each with its last three months.
JANUARY_RATES = [
    ("A", [("2018-11", "230000.00"), ("2018-12", "250000.00"), ("2019-01", "240000.00")]),
    ("B", [("2018-10", "640000.00"), ("2018-11", "650000.00"), ("2018-12", "660000.00")]),
]


def statement_of(year: int, months: dict[int, str], rates=(), commitments=(), as_of=None):
    amounts = tuple(D(months.get(m, "0.00")) for m in range(1, 13))
    return BudgetStatement(
        year,
        BUDGET,
        BUYER,
        as_of or date(year, 7, 10),
        (ProgrammeSpend(3, "adult-employment", "Beskæftigelsesrettet forløb", amounts),),
        D("0.00"),
        tuple(ContractRate(ref, tuple((m, D(a)) for m, a in ms)) for ref, ms in rates),
        commitments,
    )


def test_the_forecast_runs_on_the_last_three_months_not_the_average_since_the_start():
    statement = statement_of(
        2018,
        {3: "100000.00", 4: "200000.00", 5: "300000.00", 6: "400000.00"},
        rates=[
            ("A", [("2018-04", "200000.00"), ("2018-05", "300000.00"), ("2018-06", "400000.00")])
        ],
    )
    assert statement.invoiced == D("1000000.00") and statement.run_rate == D("300000.00")
    assert statement.forecast_total == D("2800000.00")  # six more months at 300.000, not 250.000
    assert statement.forecast_remaining == D("9800000.00")
    forecast = statement.forecast_line()
    assert forecast[:5] == [None] * 5 and forecast[5] == D("11600000.00")
    assert forecast[6] == D("11300000.00") and forecast[11] == D("9800000.00")


def test_one_month_in_the_year_uses_the_contracts_last_three_invoiced_months_before_it():
    # January 2019: one contract's invoice approved, the other's still waiting. The old method
    # made 12 × 240.000 = 2,88 million of it; each contract's own run rate sees ~0,9 million.
    statement = statement_of(
        2019,
        {1: "240000.00"},
        rates=JANUARY_RATES,
        as_of=date(2019, 1, 24),
    )
    assert statement.run_rate == D("890000.00")
    # A's rate for February to December, B's for all twelve months (January is not invoiced yet).
    assert statement.forecast_total == D("240000.00") + 11 * D("240000.00") + 12 * D("650000.00")
    assert statement.rate_months == ("2018-10", "2019-01")
    forecast = statement.forecast_line()
    assert forecast[0] == BUDGET - D("240000.00")  # the line starts where the spending stands
    assert forecast[1] == BUDGET - D("240000.00") - D("240000.00") - 2 * D("650000.00")
    assert forecast[11] == BUDGET - statement.forecast_total


def test_nothing_approved_anywhere_gives_no_forecast_and_no_chart():
    statement = statement_of(2019, {})
    assert (statement.run_rate, statement.forecast_total, statement.rate_months) == (None,) * 3
    assert statement.forecast_line() == [None] * 12


def test_the_committed_spend_by_hand():
    commitments = (
        Commitment("A", 3, D("9500.00"), date(2019, 8, 31)),  # July and August: 2 months
        Commitment("B", 2, D("8000.00"), date(2020, 3, 31)),  # July to December: 6 months
        Commitment("C", 5, D("9000.00"), date(2019, 6, 30)),  # ended before July: nothing
    )
    statement = statement_of(2019, {}, commitments=commitments, as_of=date(2019, 7, 10))
    assert statement.committed == 3 * D("9500.00") * 2 + 2 * D("8000.00") * 6 == D("153000.00")
    assert statement.open_enrolments == 10 and statement.committed_from == "2019-07"
    later = statement_of(2018, {}, commitments=commitments, as_of=date(2019, 1, 24))
    assert later.committed == D("0.00") and later.committed_from is None  # 2018 is over
    ahead = statement_of(2020, {}, commitments=commitments, as_of=date(2019, 7, 10))
    assert ahead.committed == 2 * D("8000.00") * 3  # January to March 2020


def test_the_service_counts_the_open_enrolments_of_running_contracts(any_app, make_provider):
    with any_app.app_context():
        provider = make_provider(db.session)
        running = make_contract(
            db.session, provider.id, "R-1", monthly_fee=D("9500.00"), end_on=date(2019, 8, 31)
        )
        ended = make_contract(db.session, provider.id, "R-2", status="ended")
        for n, (contract, start, end) in enumerate(
            [
                (running, date(2019, 1, 2), None),
                (running, date(2019, 3, 1), None),
                (running, date(2019, 6, 1), None),  # starts after the statement's day
                (running, date(2019, 1, 2), date(2019, 2, 1)),  # ended
                (ended, date(2019, 1, 2), None),
            ]
        ):
            participant = Participant(ref=f"DL-T{n}", pseudonym=f"{n:064d}")
            db.session.add(participant)
            db.session.flush()
            db.session.add(
                Enrolment(
                    participant_id=participant.id,
                    contract_id=contract.id,
                    start_on=start,
                    end_on=end,
                    end_reason="job" if end else None,
                    age_at_start=35,
                )
            )
        db.session.flush()
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, date(2019, 5, 20))
    assert statement.commitments == (Commitment("R-1", 2, D("9500.00"), date(2019, 8, 31)),)
    assert statement.committed == 2 * D("9500.00") * 4  # May to August


def test_the_pdf_says_how_it_forecast_under_the_chart():
    statement = statement_of(
        2019,
        {1: "240000.00"},
        rates=JANUARY_RATES,
        commitments=(Commitment("A", 3, D("9500.00"), date(2019, 8, 31)),),
        as_of=date(2019, 1, 24),
    )
    text = " ".join(pdf_text(budget_statement_pdf(RENDERER, statement)).split())
    for expected in [
        "Løbende pris pr. måned 890.000,00 kr.",
        "Prognose for hele året 10.680.000,00 kr.",
        "Bundet i åbne forløb resten af året 228.000,00 kr.",
        "Sådan er prognosen regnet",
        "seneste tre måneder med godkendte beløb, også måneder fra før 2019",
        "2 aftaler med beløb fra oktober 2018 til januar 2019, i alt 890.000,00 kr. pr. måned",
        "10.680.000,00 kr. for hele 2019",
        "3 åbne forløb pr. 24-01-2019 à aftalens månedspris for hver måned fra januar 2019",
        "Timer og resultatbonus er ikke medregnet",
    ]:
        assert expected in text, expected
    assert text.index("Budgetforbrug og prognose") < text.index("Sådan er prognosen regnet")


def test_the_demo_2019_statement_forecasts_twelve_months_of_its_run_rate(any_app):
    approve_demo(any_app, "2018-11")  # as `make run` leaves it: December waits for approval
    with any_app.app_context():
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, date(2019, 1, 24))
        autumn = [
            budget_statement(
                db.session, FINANCE, 2018, BUDGET, BUYER, date(2019, 1, 24)
            ).month_totals[m]
            for m in (8, 9, 10)
        ]
        running = db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment))
    recent = sum(autumn, D("0")) / 3  # September to November 2018, every contract approved
    assert D("800000") < recent < D("950000") and running > 0
    assert statement.invoiced == D("0.00") and len(statement.rates) == 6
    assert statement.run_rate == sum((r.average for r in statement.rates), D("0"))
    assert abs(statement.run_rate - recent) < D("1.00")  # the same three months, per contract
    assert statement.forecast_total == 12 * statement.run_rate
    assert D("9500000") < statement.forecast_total < D("11000000")  # not 2,9 million
    assert statement.committed > 0 and statement.committed_from == "2019-01"
