"""The score pages."""

from flask import Blueprint

bp = Blueprint("scores", __name__, url_prefix="/scores")
