"""The aggregation and job pages."""

from flask import Blueprint

bp = Blueprint("aggregations", __name__, url_prefix="/jobs")
