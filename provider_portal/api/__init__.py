"""The JSON API under /api/v1/, authenticated by personal bearer tokens."""

from flask import Blueprint, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.route("/openapi.json")
def openapi():
    return jsonify({"openapi": "3.1.0", "info": {"title": "Provider Portal API", "version": "1"}, "paths": {}})
