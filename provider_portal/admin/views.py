"""The admin pages."""

from flask import Blueprint, render_template

from ..security import allow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@allow("admin")
def home():
    return render_template("admin/home.html")
