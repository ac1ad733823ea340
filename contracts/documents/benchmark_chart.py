"""The comparison's chart: each city's outcome rate over a range with its 95 % Wilson interval,
drawn as the score pages' charts are (matplotlib's SVG canvas, deterministic, text as text)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .charts import _RC, PALETTE, rate_axis


def interval_chart(
    labels: Sequence[str],
    rates: Sequence[tuple[float, tuple[float, float]] | None],
    *,
    missing: str,
    percent_sign: str = " %",
) -> str:
    """One bar per city with its interval; a city whose rate is not published says `missing`."""
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(6.0, 3.2), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        for n, (label, rate) in enumerate(zip(labels, rates, strict=True)):
            if rate is None:
                axes.text(n, 0.02, missing, ha="center", va="bottom")
                continue
            value, (low, high) = rate
            axes.bar(n, value, color=PALETTE[n % len(PALETTE)], width=0.6, label=label)
            axes.errorbar(n, value, yerr=[[value - low], [high - value]], color="#222", capsize=6)
        axes.set_xticks(list(range(len(labels))), list(labels))
        axes.set_xlim(-0.6, len(labels) - 0.4)
        rate_axis(axes, percent_sign)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()
