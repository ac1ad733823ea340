"""The start page, which sends each role to its own home page, and what every page's frame shows."""

from flask import Blueprint, redirect, url_for
from flask_babel import lazy_gettext as _l

from .. import clock
from ..security import ALL_ROLES, allow, current

bp = Blueprint("home", __name__)

ROLE_HOMES = {
    "procurement": "procurement.home",
    "provider": "provider.home",
    "finance": "finance.home",
    "admin": "admin.home",
}

# The navigation of each role: (endpoint, label). The first entry is the role's home page.
NAVIGATION = {
    "procurement": [
        ("procurement.home", _l("Overview")),
        ("procurement.contracts", _l("Contracts")),
    ],
    "provider": [("provider.home", _l("Overview"))],
    "finance": [("finance.home", _l("Overview"))],
    "admin": [("admin.home", _l("Users and tokens"))],
}

ROLE_LABELS = {
    "procurement": _l("Procurement"),
    "provider": _l("Provider"),
    "finance": _l("Finance"),
    "admin": _l("Administrator"),
}


@bp.route("/")
@allow(*ALL_ROLES)
def index():
    """Send the user to the home page of their role."""
    return redirect(url_for(ROLE_HOMES[current().role]))


@bp.app_context_processor
def _page_frame() -> dict:
    # Every page's header needs the portal's date (and whether it is a fixed demo date),
    # the navigation of the user's role and the role's name.
    return {
        "portal_today": clock.today(),
        "demo_clock": clock.is_fixed(),
        "NAVIGATION": NAVIGATION,
        "ROLE_LABELS": ROLE_LABELS,
    }
