"""The provider pages."""

from flask import Blueprint, render_template

from ..security import allow

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.route("/")
@allow("provider")
def home():
    return render_template("provider/home.html")
