"""Per-user limits on the API (issue 16): every call counts against API_RATE_LIMIT, and a call
that starts work on the queue or renders a PDF against API_EXPENSIVE_LIMIT too, per user and
across every web process (counted in Redis, in the process while Redis is away). Over either,
the call is answered 429 without being run.

A before-request function of the API blueprint, so it runs after the app's gate has found the
token's user; calls without a user are the gate's to answer (401).
"""

from __future__ import annotations

from flask import abort, current_app, g, request

from ..counters import hit
from .blueprint import bp
from .declare import REGISTRY

# The one PDF answered from what the queue made already: collecting it costs nothing.
COLLECTS = frozenset({"get_document_pdf"})


def _expensive(endpoint: str) -> bool:
    """A call that starts work on the workers (answered 202), or may render a PDF in its answer."""
    name = endpoint.removeprefix(f"{bp.name}.")
    return name not in COLLECTS and any(
        op.endpoint == name
        and (op.status == 202 or op.queued is not None or op.media_type == "application/pdf")
        for op in REGISTRY
    )


@bp.before_request
def per_user_limits():
    user = g.get("user")
    if user is None or request.endpoint is None:
        return None
    config = current_app.config
    if not hit(config["API_RATE_LIMIT"], "api-user", str(user.id)):
        abort(429)
    if _expensive(request.endpoint) and not hit(
        config["API_EXPENSIVE_LIMIT"], "api-expensive", str(user.id)
    ):
        abort(429)
    return None
