"""The month's report template to download from the provider's report page (CSV or xlsx).

The participants come from `contracts.services.report_templates`, scoped to the viewer: another
provider's contract, or a month the contract is not reported for, is not found (404).
"""

from __future__ import annotations

from flask import abort

from contracts.rules.periods import Month
from contracts.services import NotFound
from contracts.services.report_templates import month_template

from .. import clock
from ..extensions import db
from ..report_template_files import template_response
from ..security import actor, allow, viewer
from .views import bp


@bp.route(
    "/contracts/<int:contract_id>/reports/<month:month>/template.csv", defaults={"kind": "csv"}
)
@bp.route(
    "/contracts/<int:contract_id>/reports/<month:month>/template.xlsx", defaults={"kind": "xlsx"}
)
@allow("provider")
def report_template(contract_id: int, month: Month, kind: str):
    """The month's participants to fill in: CSV as Danish Excel opens it, or xlsx."""
    try:
        template = month_template(db.session, viewer(), actor(), contract_id, month, clock.today())
    except NotFound:
        abort(404)
    return template_response(template, kind)
