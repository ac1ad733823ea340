"""The finance pages."""

from flask import Blueprint, render_template

from ..security import allow

bp = Blueprint("finance", __name__, url_prefix="/finance")


@bp.route("/")
@allow("finance")
def home():
    return render_template("finance/home.html")
