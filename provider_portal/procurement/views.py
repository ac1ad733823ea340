"""The procurement pages."""

from flask import Blueprint, render_template

from ..security import allow

bp = Blueprint("procurement", __name__, url_prefix="/procurement")


@bp.route("/")
@allow("procurement")
def home():
    return render_template("procurement/home.html")
