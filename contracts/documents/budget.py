"""The annual budget statement: the year's budget set against what is invoiced, per programme and month.

Plain data only (`BudgetStatement`, built by `contracts.services.budget`); the burn-down, the
forecast and the PDF are computed from it here without touching the database.

What counts, and the forecast (DESIGN.md §6 is silent on both; decided here):
- *invoiced* is net of VAT (the municipality recovers the VAT it pays), approved invoices less
  approved credit notes, by the month the service was delivered in (the invoice's month), so
  a December invoice approved in January still counts against December's year;
- the *average monthly rate* is the amount invoiced so far divided by the months from the
  first to the last month of the year with approved amounts, both included: an effort that
  starts in March is not averaged over January and February it never ran in, and a month
  not yet approved is not taken for a month that cost nothing;
- the *forecast* continues that rate from the last such month to December.
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
class BudgetStatement:
    """The year's budget and what was invoiced against it, as of a day."""

    year: int
    budget: Decimal
    buyer: Municipality
    as_of: date
    programmes: tuple[ProgrammeSpend, ...]
    waiting_net: Decimal
    """Net amount of the year's drafts: invoiced by providers, not yet approved, not counted."""

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
    def average_month(self) -> Decimal | None:
        """The average monthly rate so far (see the module docstring), rounded to øre."""
        span = self.active_months
        if span is None:
            return None
        return round_money(self.invoiced / (span[1] - span[0] + 1))

    @property
    def forecast_total(self) -> Decimal | None:
        """What the year will have cost by December at the average rate so far."""
        span, rate = self.active_months, self.average_month
        if span is None or rate is None:
            return None
        return self.invoiced + rate * (MONTHS - 1 - span[1])

    @property
    def forecast_remaining(self) -> Decimal | None:
        total = self.forecast_total
        return None if total is None else self.budget - total

    def remaining_line(self) -> list[Decimal | None]:
        """Budget left at each month's end, up to the last month with approved amounts."""
        span = self.active_months
        last = span[1] if span else -1
        return [self.budget - c if m <= last else None for m, c in enumerate(self.cumulative)]

    def forecast_line(self) -> list[Decimal | None]:
        """The forecast remainder from the last month with approved amounts to December."""
        span, rate = self.active_months, self.average_month
        if span is None or rate is None:
            return [None] * MONTHS
        start = self.budget - self.cumulative[span[1]]
        return [start - rate * (m - span[1]) if m >= span[1] else None for m in range(MONTHS)]


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
    chart = Markup(burndown_svg(statement, locale)) if statement.active_months else None
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
