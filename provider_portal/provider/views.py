"""The provider pages: the provider's own contracts, their monthly reports and participants.

Every query goes through contracts.services.scope with the request's viewer, so a provider
user sees its own provider's records and nothing that tells it others exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from contracts.services.figures import figures_as_of
from contracts.services.provider_overview import participant_page, provider_overview

from .. import clock
from ..extensions import db
from ..reads import participants_read
from ..security import allow, viewer

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.route("/")
@allow("provider")
def home():
    """The provider's figures as of today, its contracts with each month's report status, and a
    page of its participants (`?page=`, 50 a page; a page that is not a number is the first)."""
    v = viewer()
    today = clock.today()
    overview = provider_overview(db.session, v, today)
    participants = participant_page(db.session, v, request.args.get("page", 1, type=int))
    # Reading a participant list is an audit event (GDPR art. 10 data), even on a home page: of
    # the rows this page shows.
    participants_read(
        "provider.home",
        "provider",
        v.provider_id,
        count=len(participants.items),
    )
    return render_template(
        "provider/home.html",
        today=today,
        contracts=overview.contracts,
        months=overview.months,
        participants=participants,
        late_count=overview.late_count,
        totals=figures_as_of(db.session, v, today, "provider", v.provider_id),
    )
