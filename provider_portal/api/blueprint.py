"""The API blueprint: every call under /api/v1/, authenticated by a personal bearer token."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
