"""The annual budget statement: the year's budget set against what is invoiced, per programme and month.

Plain data only (`BudgetStatement`, built by `contracts.services.budget`); the burn-down, the
forecast, the committed spend and the PDF are computed from it here without touching the database.

What counts (decided here; DESIGN.md §6 says what to forecast from, not how to count):
- *invoiced* is net of VAT (the municipality recovers the VAT it pays), approved invoices less
  approved credit notes, by the month the service was delivered in (the invoice's month), so
  a December invoice approved in January still counts against December's year.

The forecast (DESIGN.md §6: from what the months invoiced so far cost a month, the last three,
never from a single invoice):
- each running contract's *run rate* is the average of its last three months with approved
  amounts, up to the year's end and regardless of the year they fall in (fewer only while the
  contract has fewer). Counting per contract is what "never from a single invoice" means here:
  a month only partly approved, such as a January with one contract's invoice in and the others
  waiting, is not taken for what a month of the whole effort costs, and one month invoiced in
  the year is not multiplied by twelve: the contracts' months before the year carry the rate;
- the *forecast* for the year is what is invoiced so far plus each contract's run rate for the
  months of the year after its last invoiced month. The contracts' end dates do not cut it
  short: the effort goes on through extensions and re-tenders, which the budget pays as well.
- The *committed spend* is what the open enrolments will cost in base fees: per running contract,
  its open enrolments × its monthly fee × the months from the statement's month (or January, for
  a year to come) to December or the contract's end, whichever comes first, the current month
  in full (it is not invoiced yet). Hours and outcome bonuses are not known ahead and not in it.
The chart is SVG from `charts.burndown_chart`, put straight into the HTML as an inline `<svg>`
element: it names no URL, so WeasyPrint fetches nothing for it (the locked-down fetcher is
never asked and keeps refusing data: URIs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from ..rules.money import round_money
from ..rules.periods import Month
from . import charts, formatting, pdf
from .data import Municipality

ZERO = Decimal("0.00")
MONTHS = 12


@dataclass(frozen=True)
class ProgrammeSpend:
    """One programme's invoiced net amount in each month of the year (12 amounts, January first)."""

    position: int
    code: str
    name: str
    months: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)


@dataclass(frozen=True)
class ContractRate:
    """A running contract's last (up to) three months with approved net amounts, oldest first."""

    reference: str
    months: tuple[tuple[str, Decimal], ...]

    @property
    def last_month(self) -> str:
        return self.months[-1][0]

    @property
    def average(self) -> Decimal:
        """What the contract costs a month, rounded to øre."""
        return round_money(sum((net for _, net in self.months), ZERO) / len(self.months))


@dataclass(frozen=True)
class Commitment:
    """A running contract's open enrolments on the statement's day, with its fee and end date."""

    reference: str
    open_enrolments: int
    monthly_fee: Decimal
    end_on: date

    def months_left(self, year: int, as_of: date) -> int:
        """Months from the statement's month (or January) to December or the contract's end."""
        first = max(date(year, 1, 1), as_of.replace(day=1))
        last = min(date(year, 12, 1), self.end_on.replace(day=1))
        return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


@dataclass(frozen=True)
class BudgetStatement:
    """The year's budget and what was invoiced against it, as of a day."""

    year: int
    budget: Decimal
    buyer: Municipality
    as_of: date
    programmes: tuple[ProgrammeSpend, ...]
    waiting_net: Decimal
    """Net amount of the year's drafts: invoiced by providers, not yet approved, not counted."""
    rates: tuple[ContractRate, ...] = ()
    commitments: tuple[Commitment, ...] = ()

    def month_key(self, index: int) -> str:
        return f"{self.year:04d}-{index + 1:02d}"

    @property
    def month_totals(self) -> tuple[Decimal, ...]:
        return tuple(sum((p.months[m] for p in self.programmes), ZERO) for m in range(MONTHS))

    @property
    def cumulative(self) -> tuple[Decimal, ...]:
        running, out = ZERO, []
        for amount in self.month_totals:
            running += amount
            out.append(running)
        return tuple(out)

    @property
    def invoiced(self) -> Decimal:
        return sum(self.month_totals, ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.invoiced

    @property
    def used_share(self) -> Decimal | None:
        return self.invoiced / self.budget if self.budget else None

    @property
    def active_months(self) -> tuple[int, int] | None:
        """(first, last) month index with approved amounts, or None when nothing is approved yet."""
        used = [m for m, amount in enumerate(self.month_totals) if amount != 0]
        return (used[0], used[-1]) if used else None

    @property
    def run_rate(self) -> Decimal | None:
        """What a month costs now: the running contracts' run rates added up (module docstring)."""
        return sum((rate.average for rate in self.rates), ZERO) if self.rates else None

    def _months_left(self, rate: ContractRate) -> int:
        """The months of the year after the contract's last invoiced month."""
        last = Month(rate.last_month)
        return MONTHS if last.year < self.year else MONTHS - last.number

    @property
    def rate_months(self) -> tuple[str, str] | None:
        """The first and last month the run rates are taken from."""
        months = [month for rate in self.rates for month, _ in rate.months]
        return (min(months), max(months)) if months else None

    @property
    def forecast_total(self) -> Decimal | None:
        """What the year will have cost by December: invoiced, and each contract's rate after it."""
        if not self.rates:
            return None
        ahead = sum((rate.average * self._months_left(rate) for rate in self.rates), ZERO)
        return self.invoiced + ahead

    @property
    def forecast_remaining(self) -> Decimal | None:
        total = self.forecast_total
        return None if total is None else self.budget - total

    @property
    def committed(self) -> Decimal:
        """The open enrolments' base fees to December or their contract's end (module docstring)."""
        return sum(
            (
                round_money(
                    c.monthly_fee * c.open_enrolments * c.months_left(self.year, self.as_of)
                )
                for c in self.commitments
            ),
            ZERO,
        )

    @property
    def committed_from(self) -> str | None:
        """The first month the committed spend counts (YYYY-MM); None once the year is over."""
        first = max(date(self.year, 1, 1), self.as_of.replace(day=1))
        return Month.of(first) if first.year == self.year else None

    @property
    def open_enrolments(self) -> int:
        return sum(c.open_enrolments for c in self.commitments)

    def remaining_line(self) -> list[Decimal | None]:
        """Budget left at each month's end, up to the last month with approved amounts."""
        span = self.active_months
        last = span[1] if span else -1
        return [self.budget - c if m <= last else None for m, c in enumerate(self.cumulative)]

    def forecast_line(self) -> list[Decimal | None]:
        """The forecast remainder from the last month with approved amounts (or the year's
        start) to December, each contract's rate added from the month after its last one."""
        if not self.rates:
            return [None] * MONTHS
        span = self.active_months
        start = span[1] if span else -1
        line: list[Decimal | None] = [None] * MONTHS
        for m in range(max(start, 0), MONTHS):
            if m == start:
                line[m] = self.budget - self.invoiced
                continue
            ahead = sum(
                (
                    rate.average * max(0, m + 1 - (MONTHS - self._months_left(rate)))
                    for rate in self.rates
                ),
                ZERO,
            )
            line[m] = self.budget - self.invoiced - ahead
        return line


def _short_month(index: int, year: int, locale: str) -> str:
    from babel.dates import format_date

    return format_date(date(year, index + 1, 1), format="LLL", locale=locale).rstrip(".")


def burndown_svg(statement: BudgetStatement, locale: str = "da") -> str:
    """The statement's burn-down chart as SVG text (from the `<svg>` element on)."""
    da = locale == "da"

    def tick(value: float) -> str:
        millions = formatting.number(Decimal(str(round(value / 1_000_000, 1))), locale, 1)
        return f"{millions} mio." if da else f"{millions}m"

    svg = charts.burndown_chart(
        [_short_month(m, statement.year, locale) for m in range(MONTHS)],
        statement.remaining_line(),
        statement.forecast_line(),
        statement.budget,
        remaining_label="Tilbage af budget" if da else "Budget remaining",
        forecast_label="Prognose" if da else "Forecast",
        budget_label="Budget",
        tick_label=tick,
    )
    return svg[svg.index("<svg") :]


def budget_statement_pdf(
    renderer: pdf.PdfRenderer, statement: BudgetStatement, locale: str = "da"
) -> bytes:
    """The PDF of the annual budget statement, with its burn-down chart."""
    months = [
        (
            statement.month_key(m),
            [p.months[m] for p in statement.programmes],
            statement.month_totals[m],
            statement.cumulative[m],
            statement.budget - statement.cumulative[m],
        )
        for m in range(MONTHS)
    ]
    # Markup: the SVG is made by matplotlib from our own numbers and labels (it escapes text).
    chart = Markup(burndown_svg(statement, locale)) if statement.rates else None  # nosec B704
    return renderer.render(
        "pdf/budget_statement.html", locale, statement=statement, months=months, chart=chart
    )


def programme_spend(
    rows: Sequence[tuple[int, str, str, str, Decimal]], year: int
) -> tuple[ProgrammeSpend, ...]:
    """Spread (position, code, name, YYYY-MM, net) rows, one per programme and month, into 12 months each.

    Every programme given appears, also one with nothing invoiced (a row with month None).
    """
    found: dict[str, tuple[int, str, list[Decimal]]] = {}
    for position, code, name, month, net in rows:
        entry = found.setdefault(code, (position, name, [ZERO] * MONTHS))
        if month is not None:
            month_year, number = int(month[:4]), int(month[5:7])
            if month_year == year:
                entry[2][number - 1] += net
    return tuple(
        ProgrammeSpend(position, code, name, tuple(amounts))
        for code, (position, name, amounts) in sorted(found.items(), key=lambda kv: kv[1][0])
    )
