"""Benchmark pages (DESIGN.md §12): procurement exports the package and imports a peer's; the
comparison sets the cities side by side with a chart. Pages answer in Danish by default."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from contracts.documents.benchmark_chart import interval_chart
from contracts.rules.periods import is_month, months_between
from contracts.services import DomainError
from contracts.services.benchmark import comparison, imports
from contracts.services.benchmark.suppression import ALL
from contracts.services.programmes import all_programmes

from .. import benchmark
from ..extensions import db
from ..formatting import programme_name
from ..security import actor, allow, current
from ..transaction import rollback

bp = Blueprint("benchmark", __name__, url_prefix="/benchmark")


def _refusal(error: DomainError) -> str:
    rollback()
    return _(error.template, **error.params)


@bp.route("/", methods=["GET"])
@allow(*benchmark.READERS)
def index():
    """The comparison: a programme ("all" by default) over a range of months."""
    months = comparison.imported_months(db.session)
    first = request.args.get("from") or (months[0] if months else None)
    last = request.args.get("to") or (months[-1] if months else None)
    programme = request.args.get("programme") or ALL
    problem, cities, shown = None, [], []
    if first and last and not (is_month(first) and is_month(last)):
        problem, first, last = _("Write the month as YYYY-MM, such as 2019-01."), None, None
    if first and last:
        shown = [str(m) for m in months_between(first, last)][:120]
        cities = comparison.compare(db.session, benchmark.municipality()["name"], programme, shown)
    programmes = [(p.code, programme_name(p)) for p in all_programmes(db.session)]
    return render_template(
        "benchmark/index.html",
        cities=cities,
        months=shown,
        first=first,
        last=last,
        programme=programme,
        programmes=programmes,
        problem=problem,
        exporter=current().role in benchmark.EXPORTERS,
    )


@bp.route("/chart.svg")
@allow(*benchmark.READERS)
def chart():
    """Each city's outcome rate over the range, with its Wilson interval."""
    months = comparison.imported_months(db.session)
    first = request.args.get("from") or (months[0] if months else "")
    last = request.args.get("to") or (months[-1] if months else "")
    if (first or last) and not (is_month(first) and is_month(last)):
        return Response(status=404)
    shown = [str(m) for m in months_between(first, last)][:120] if first else []
    programme = request.args.get("programme") or ALL
    cities = comparison.compare(db.session, benchmark.municipality()["name"], programme, shown)
    svg = interval_chart(
        [c.name for c in cities],
        [c.over(shown).outcome for c in cities],
        # A range with a suppressed month has no rate to show: unknown, not "below 5".
        missing=_("not published"),
    )
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/export", methods=["GET", "POST"])
@allow(*benchmark.EXPORTERS)
def export():
    """Choose the period and download the signed package."""
    problem = None
    if request.method == "POST":
        first, last = request.form.get("from", ""), request.form.get("to", "")
        if not (is_month(first) and is_month(last)):
            problem = _("Write the month as YYYY-MM, such as 2019-01.")
        else:
            try:
                package = benchmark.export(first, last)
            except DomainError as error:
                problem = _refusal(error)
            else:
                return Response(
                    json.dumps(package, ensure_ascii=False, sort_keys=True),
                    mimetype="application/json",
                    headers={
                        "Content-Disposition": f'attachment; filename="benchmark-{first}-{last}.json"'
                    },
                )
    return render_template("benchmark/export.html", problem=problem), 422 if problem else 200


@bp.route("/import", methods=["GET", "POST"])
@allow(*benchmark.EXPORTERS)
def import_page():
    """Upload a peer's package: verified, stored, or refused with the reason in Danish."""
    problem, stored = None, None
    if request.method == "POST":
        upload = request.files.get("package")
        try:
            data = json.loads(upload.read().decode("utf-8")) if upload else None
        except (UnicodeDecodeError, ValueError, RecursionError):
            data = None
        if data is None:
            problem = _("The file is not a benchmark package.")
        else:
            try:
                stored = imports.import_package(
                    db.session, actor(), data, benchmark.trusted_keys(), benchmark.min_cell()
                )
            except DomainError as error:
                problem = _refusal(error)
    status = 422 if problem else 200
    return render_template("benchmark/import.html", problem=problem, stored=stored), status
