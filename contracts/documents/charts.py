"""Charts as SVG text from plain data, for the score pages and for PDFs alike.

Drawn with matplotlib's object API and its SVG canvas (no pyplot, no global backend, so it
is safe in a threaded web server). The output is deterministic: the SVG ids are salted with a
fixed value and carry no date, so the same data gives byte-for-byte the same picture. Text
stays text (`svg.fonttype = none`): nothing is fetched or embedded, the viewer's sans-serif
font draws it, and the month labels can be read (and tested) in the SVG itself.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

# A colour-blind-safe palette (Okabe–Ito), in the order series are given.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
MARKERS = ("o", "s", "^", "D", "v", "P")

_RC = {
    "svg.hashsalt": "provider-portal-charts",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Series:
    """One line of a chart: its label and a value per month (a fraction from 0 to 1, or None).

    `band`, if given, is an interval per month (low, high, or None), drawn as error bars in
    the line's colour: the 95 % interval of a share.
    """

    label: str
    values: Sequence[float | Decimal | None]
    band: Sequence[tuple[float, float] | None] | None = None


def rate_axis(axes, percent_sign: str) -> None:
    """A rate's y axis, as every chart draws it: 0 to 100 % in steps of 20, light grid behind."""
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_locator(MultipleLocator(0.2))
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: f"{round(v * 100):d}{percent_sign}")
    )
    axes.grid(axis="y", color="#d9dde3", linewidth=0.8)
    axes.set_axisbelow(True)


def _number(value: float | Decimal | None) -> float:
    # None (a rate with a zero denominator) is a gap in the line, never a zero.
    return math.nan if value is None else float(value)


def trend_chart(
    month_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    percent_sign: str = " %",
    width: float = 8.0,
    height: float = 3.6,
) -> str:
    """A line chart of rates (fractions) over months, as SVG text; None values are gaps."""
    if not month_labels:
        raise ValueError("a trend chart needs at least one month")
    for line in series:
        if len(line.values) != len(month_labels) or (
            line.band is not None and len(line.band) != len(month_labels)
        ):
            raise ValueError(
                f"series {line.label!r} has {len(line.values)} values for {len(month_labels)} months"
            )

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(width, height), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(len(month_labels)))
        for n, line in enumerate(series):
            if line.band is not None:
                # Error bars rather than a shaded band: a share known for one month alone
                # still shows its interval.
                middle = [_number(v) for v in line.values]
                axes.errorbar(
                    positions,
                    middle,
                    yerr=[
                        [
                            math.nan if b is None else m - b[0]
                            for m, b in zip(middle, line.band, strict=True)
                        ],
                        [
                            math.nan if b is None else b[1] - m
                            for m, b in zip(middle, line.band, strict=True)
                        ],
                    ],
                    fmt="none",
                    ecolor=PALETTE[n % len(PALETTE)],
                    alpha=0.6,
                    capsize=3,
                    linewidth=1,
                )
            axes.plot(
                positions,
                [_number(v) for v in line.values],
                label=line.label,
                color=PALETTE[n % len(PALETTE)],
                marker=MARKERS[n % len(MARKERS)],
                markersize=4,
                linewidth=1.8,
            )
        axes.set_xlim(-0.5, len(month_labels) - 0.5)
        axes.xaxis.set_major_locator(FixedLocator(positions))
        axes.set_xticklabels(list(month_labels), rotation=45, ha="right", rotation_mode="anchor")
        rate_axis(axes, percent_sign)
        if title:
            axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
        if series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        figure.tight_layout()

        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _amount(value: float | Decimal | None) -> float:
    return math.nan if value is None else float(value)


def burndown_chart(
    month_labels: Sequence[str],
    remaining: Sequence[Decimal | None],
    forecast: Sequence[Decimal | None],
    budget: Decimal,
    *,
    remaining_label: str,
    forecast_label: str,
    budget_label: str,
    tick_label: Callable[[float], str],
    title: str = "",
    width: float = 8.0,
    height: float = 3.4,
) -> str:
    """A budget burn-down as SVG text: what remains after each month, and the forecast after it.

    `remaining` has the budget left at the end of each month so far (None after the last
    month with approved invoices), `forecast` the projected remainder from that month on (None
    before it); `tick_label` writes an amount on the y axis the way the reader's locale does.
    Amounts can go below zero: an overspent budget is shown as such, not clipped.
    """
    if not month_labels:
        raise ValueError("a burn-down chart needs at least one month")
    for name, values in (("remaining", remaining), ("forecast", forecast)):
        if len(values) != len(month_labels):
            raise ValueError(f"{name} has {len(values)} values for {len(month_labels)} months")

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(width, height), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(len(month_labels)))
        axes.axhline(float(budget), color="#888888", linewidth=1, linestyle=":", label=budget_label)
        axes.axhline(0, color="#111111", linewidth=0.8)
        axes.plot(
            positions,
            [_amount(v) for v in remaining],
            label=remaining_label,
            color=PALETTE[0],
            marker=MARKERS[0],
            markersize=4,
            linewidth=2,
        )
        axes.plot(
            positions,
            [_amount(v) for v in forecast],
            label=forecast_label,
            color=PALETTE[1],
            linestyle="--",
            linewidth=1.8,
        )
        axes.set_xlim(-0.5, len(month_labels) - 0.5)
        axes.xaxis.set_major_locator(FixedLocator(positions))
        axes.set_xticklabels(list(month_labels), rotation=45, ha="right", rotation_mode="anchor")
        known = [float(v) for v in (*remaining, *forecast) if v is not None]
        low = min([0.0, *known])
        axes.set_ylim(low - float(budget) * 0.05 if low < 0 else 0, float(budget) * 1.08)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_label(v)))
        axes.grid(axis="y", color="#d9dde3", linewidth=0.8)
        axes.set_axisbelow(True)
        if title:
            axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        figure.tight_layout()

        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()
