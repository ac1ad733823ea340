"""The provider pages: the provider's own contracts, their monthly reports and participants.

Every query goes through contracts.services.scope with the request's viewer, so a provider
user sees its own provider's records and nothing that tells it others exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from contracts.services.figures import figures_as_of
from contracts.services.provider_overview import provider_overview

from .. import clock
from ..extensions import db
from ..reads import participants_read
from ..security import allow, viewer

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.route("/")
@allow("provider")
def home():
    """The provider's figures as of today, its contracts with each month's report status, and its
    participants."""
    v = viewer()
    today = clock.today()
    overview = provider_overview(db.session, v, today)
    # Reading a participant list is an audit event (GDPR art. 10 data), even on a home page.
    participants_read(
        "provider.home",
        "provider",
        v.provider_id,
        count=len(overview.enrolments),
    )
    return render_template(
        "provider/home.html",
        today=today,
        contracts=overview.contracts,
        months=overview.months,
        enrolments=overview.enrolments,
        late_count=overview.late_count,
        totals=figures_as_of(db.session, v, today, "provider", v.provider_id),
    )
