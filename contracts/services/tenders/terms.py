"""What a tender is made of before it is entered: its terms and its lots' terms, the defaults,
and the checks of each, shared by a new tender and a re-tender."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Programme
from ...models.procurement import PROCEDURES
from ...rules import tendering as rules
from ...rules.problems import N_, Problem

REFERENCE_PREFIX = "UDB"
DEFAULT_EXPECTED_HOURS = Decimal("80.00")
DEFAULT_OUTCOME_RATE = Decimal("0.15")
DEFAULT_W_PRICE = Decimal("0.6")
DEFAULT_W_QUALITY = Decimal("0.4")
ONE = Decimal(1)
_PROCEDURE_PROBLEM = Problem(
    N_("the procedure must be one of %(procedures)s"),
    {"procedures": ", ".join(PROCEDURES)},
    field="procedure",
)
_KIND_PROBLEM = Problem(
    N_("the contracts are special_effort or framework agreements"), field="contract_kind"
)


@dataclass(frozen=True)
class LotTerms:
    """A lot as procurement enters it: one programme with the expected values that price bids."""

    programme: str
    title: str = ""
    estimated_value: Decimal | None = None
    expected_hours: Decimal = DEFAULT_EXPECTED_HOURS
    expected_outcome_rate: Decimal = DEFAULT_OUTCOME_RATE
    w_price: Decimal = DEFAULT_W_PRICE
    w_quality: Decimal = DEFAULT_W_QUALITY
    max_awards: int = 1
    # Milestone prices (DESIGN.md §15): the shares expected to reach 13 and 26 weeks (start's is
    # the outcome rate) and the contracts' clawback days; None: one outcome bonus, as before.
    expected_week13_rate: Decimal | None = None
    expected_week26_rate: Decimal | None = None
    clawback_days: int | None = None


@dataclass(frozen=True)
class TenderTerms:
    """A tender as procurement enters it."""

    title: str
    lots: list[LotTerms]
    procedure: str = "open"
    contract_kind: str = "special_effort"
    deadline_at: datetime | None = None
    contract_start_on: date | None = None
    contract_end_on: date | None = None
    contract_max_end_on: date | None = None
    reference: str | None = None


def _lot_problems(
    session: Session, lots: list[LotTerms]
) -> tuple[list[Problem], dict[str, Programme]]:
    problems: list[Problem] = []
    programmes = {p.code: p for p in session.scalars(sa.select(Programme))}
    seen = set()
    for n, lot in enumerate(lots, start=1):
        where = f"lots.{n}"
        if lot.programme not in programmes:
            codes = ", ".join(sorted(programmes, key=lambda c: programmes[c].position))
            problems.append(
                Problem(
                    N_("there is no programme '%(code)s'; use one of %(codes)s"),
                    {"code": lot.programme, "codes": codes},
                    field=f"{where}.programme",
                )
            )
        elif lot.programme in seen:
            problems.append(
                Problem(N_("A tender has one lot per programme."), field=f"{where}.programme")
            )
        seen.add(lot.programme)
        problems += _lot_value_problems(
            where,
            lot.estimated_value,
            lot.expected_hours,
            lot.expected_outcome_rate,
            lot.w_price,
            lot.w_quality,
            lot.max_awards,
        )
        problems += rules.milestone_shares_problems(
            where,
            lot.expected_outcome_rate,
            lot.expected_week13_rate,
            lot.expected_week26_rate,
            lot.clawback_days,
        )
    return problems, programmes


def _lot_value_problems(
    where, estimated_value, expected_hours, outcome_rate, w_price, w_quality, max_awards
) -> list[Problem]:
    problems = []
    if estimated_value is not None and estimated_value < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.estimated_value"))
    if expected_hours < 0:
        problems.append(Problem(N_("Must not be negative."), field=f"{where}.expected_hours"))
    if not 0 <= outcome_rate <= 1:
        problems.append(
            Problem(
                N_("The expected outcome rate is from 0 to 100 %."),
                field=f"{where}.expected_outcome_rate",
            )
        )
    if w_price < 0 or w_quality < 0 or w_price + w_quality != ONE:
        problems.append(
            Problem(
                N_(
                    "The price and quality weights must add up to 1 (%(price)s + %(quality)s = "
                    "%(sum)s)."
                ),
                {"price": w_price, "quality": w_quality, "sum": w_price + w_quality},
                field=f"{where}.w_price",
            )
        )
    if max_awards < 1:
        problems.append(
            Problem(N_("At least one provider is awarded a lot."), field=f"{where}.max_awards")
        )
    return problems


def _period_problems(start: date | None, end: date | None, max_end: date | None) -> list[Problem]:
    problems = []
    if start and end and end < start:
        problems.append(
            Problem(
                N_("The contracts cannot end (%(end)s) before they start (%(start)s)."),
                {"end": end, "start": start},
                field="contract_end_date",
            )
        )
    if end and max_end and max_end < end:
        problems.append(
            Problem(
                N_(
                    "The extension option (%(max_end)s) cannot end before the contracts end "
                    "(%(end)s)."
                ),
                {"max_end": max_end, "end": end},
                field="contract_max_end_date",
            )
        )
    return problems
