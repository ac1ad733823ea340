"""Score pages: the figures of DESIGN §7 per scope and month, and a trend chart per contract and provider.

Procurement and finance see every programme, provider and contract; a provider sees only its
own provider and its contracts (through contracts.services.scope); the administrator sees no
scores. The pages show aggregates only, never a participant, so reading them is not audited.
The figures are those the API serves, read a whole table at a time through
`contracts.services.score_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from contracts.documents.charts import Series, trend_chart
from contracts.rules.periods import Month, is_month
from contracts.rules.scoring import Figures
from contracts.services import contract_lists, score_tables
from contracts.services.sustained import pays_later_milestones

from ..extensions import db
from ..formatting import month as month_name
from ..formatting import programme_name
from ..security import allow, viewer

bp = Blueprint("scores", __name__, url_prefix="/scores")

READERS = ("procurement", "finance", "provider")
VIEWS = ("monthly", "cumulative")
DEFAULT_VIEW = "cumulative"


@dataclass(frozen=True)
class Row:
    """One line of a score table: what it is, where its details are, and its figures (None: no data)."""

    label: str
    figures: Figures | None
    note: str = ""
    href: str | None = None


def _view() -> str:
    chosen = request.args.get("view", DEFAULT_VIEW)
    return chosen if chosen in VIEWS else DEFAULT_VIEW


def _sections(month: str, cumulative: bool, view: str) -> list[tuple[str, list[Row]]]:
    """The table's sections: the effort, programmes, providers and contracts the viewer may see."""
    v = viewer()
    tables = score_tables.score_tables(db.session, v, month, cumulative)
    sections = []
    if not v.is_provider:
        sections.append((_("The whole effort"), [Row(_("All programmes"), tables.whole)]))
        sections.append(
            (
                _("Programmes"),
                [Row(programme_name(p), figures) for p, figures in tables.programmes],
            )
        )
    sections.append(
        (
            _("Providers") if not v.is_provider else _("Your provider"),
            [
                Row(
                    p.name,
                    figures,
                    href=url_for(".detail", kind="provider", scope_id=p.id, view=view),
                )
                for p, figures in tables.providers
            ],
        )
    )
    # A contract without accepted reports in the period (not started yet) has no line. Staff
    # compare providers, so a contract's line names its provider; the programme's long name is
    # on the contract's own page.
    contract_rows = [
        Row(
            c.reference,
            figures,
            note="" if v.is_provider else c.provider.name,
            href=url_for(".detail", kind="contract", scope_id=c.id, view=view),
        )
        for c, figures in tables.contracts
    ]
    sections.append((_("Contracts"), contract_rows))
    return sections


@bp.route("/")
@allow(*READERS)
def index():
    """Every visible scope's figures for a month (default: the newest scored month)."""
    view = _view()
    months = score_tables.scored_months(db.session)
    asked = request.args.get("month")
    problem = None
    if asked and not is_month(asked):
        problem = _("Write the month as YYYY-MM, such as 2019-01.")
        asked = None
    month = asked or (months[0] if months else None)
    if month is not None and month not in months:
        problem = _(
            "There are no scores for %(month)s yet: the month has not been aggregated.",
            month=month_name(month),
        )
        month = None
    sections = _sections(month, view == "cumulative", view) if month else []
    return render_template(
        "scores/index.html",
        month=month,
        months=months,
        view=view,
        sections=sections,
        problem=problem,
        sustained=_any_sustained(f for _title, rows in sections for f in (r.figures for r in rows)),
    )


def _any_sustained(figures) -> bool:
    """Whether the sustained shares' columns belong on the page: a scope in view has a contract
    paying later milestones (cumulated figures only); pages without one look as they always did."""
    return any(f is not None and f.sustained.applies for f in figures)


def _record(kind: str, scope_id: int):
    """The provider or contract if the viewer may see it; 404 otherwise (nothing tells it exists)."""
    found = score_tables.visible_scope(db.session, viewer(), kind, scope_id)
    if found is None:
        abort(404)
    return found


# One view for both kinds; two plain rules (not an `any` converter) keep the URLs simple.
@bp.route("/contract/<int:scope_id>", defaults={"kind": "contract"})
@bp.route("/provider/<int:scope_id>", defaults={"kind": "provider"})
@allow(*READERS)
def detail(kind: str, scope_id: int):
    """One contract's or provider's figures month by month, with the trend chart."""
    record = _record(kind, scope_id)
    view = _view()
    months = score_tables.scored_months(db.session, kind, scope_id)
    by_month = score_tables.figures_by_month(db.session, kind, scope_id, view == "cumulative")
    rows = [(m, by_month.get(m)) for m in months]
    contracts = []
    if kind == "provider":
        contracts = contract_lists.contracts_by_reference(db.session, viewer(), scope_id)
    return render_template(
        "scores/detail.html",
        kind=kind,
        record=record,
        rows=rows,
        view=view,
        contracts=contracts,
        sustained=_any_sustained(f for _m, f in rows),
        has_milestones=bool(rows) and pays_later_milestones(db.session, kind, scope_id),
        programme_name=programme_name(record.programme) if kind == "contract" else None,
    )


def _short_month(month: str) -> str:
    return format_date(
        Month.parse(month).first_day, format="MMM y", locale=str(get_locale() or "da")
    )


@bp.route("/contract/<int:scope_id>/trend.svg", defaults={"kind": "contract"})
@bp.route("/provider/<int:scope_id>/trend.svg", defaults={"kind": "provider"})
@allow(*READERS)
def chart(kind: str, scope_id: int):
    """The trend chart as an SVG image: cumulated outcome and placement rates, monthly delivery and absence."""
    _record(kind, scope_id)
    months = sorted(score_tables.scored_months(db.session, kind, scope_id))
    if not months:
        abort(404)
    by_month = score_tables.figures_by_month(db.session, kind, scope_id, True)
    cumulated = [by_month.get(m) for m in months]
    by_month = score_tables.figures_by_month(db.session, kind, scope_id, False)
    monthly = [by_month.get(m) for m in months]

    def values(figures: list[Figures | None], name: str):
        return [getattr(f, name) if f is not None else None for f in figures]

    svg = trend_chart(
        [_short_month(m) for m in months],
        [
            Series(_("Outcome rate (cumulated)"), values(cumulated, "outcome_rate")),
            Series(_("Placement rate (cumulated)"), values(cumulated, "placement_rate")),
            Series(_("Delivery rate (month)"), values(monthly, "delivery_rate")),
            Series(_("Absence rate (month)"), values(monthly, "absence_rate")),
        ],
    )
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/contract/<int:scope_id>/sustained.svg", defaults={"kind": "contract"})
@bp.route("/provider/<int:scope_id>/sustained.svg", defaults={"kind": "provider"})
@allow(*READERS)
def sustained_chart(kind: str, scope_id: int):
    """The sustained shares, cumulated, with their 95 % intervals: 404 where no contract pays
    later milestones (the page then shows no such chart)."""
    _record(kind, scope_id)
    by_month = score_tables.figures_by_month(db.session, kind, scope_id, True)
    months = sorted(by_month)
    if not _any_sustained(by_month.values()):
        abort(404)
    cumulated = [by_month[m] for m in months]
    # A line for each milestone a contract in scope pays; a gap while too early to tell.
    lines = [
        Series(
            label,
            [getattr(f.sustained, f"share_{weeks}") for f in cumulated],
            band=[getattr(f.sustained, f"share_{weeks}_ci") for f in cumulated],
        )
        for label, weeks in ((_("Sustained 13 weeks"), 13), (_("Sustained 26 weeks"), 26))
        if any(getattr(f.sustained, f"old_{weeks}") is not None for f in cumulated)
    ]
    svg = trend_chart([_short_month(m) for m in months], lines)
    return Response(svg, mimetype="image/svg+xml")
