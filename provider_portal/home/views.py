"""The start page: sends each role to its own home page."""

from flask import Blueprint, redirect, url_for

from ..security import ALL_ROLES, allow, current

bp = Blueprint("home", __name__)

ROLE_HOMES = {
    "procurement": "procurement.home",
    "provider": "provider.home",
    "finance": "finance.home",
    "admin": "admin.home",
}


@bp.route("/")
@allow(*ALL_ROLES)
def index():
    return redirect(url_for(ROLE_HOMES[current().role]))
