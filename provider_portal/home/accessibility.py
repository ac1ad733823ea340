"""The accessibility statement (tilgængelighedserklæring) Danish public websites publish under
the act on the accessibility of public bodies' websites: open to everyone, linked from every
page's footer."""

from __future__ import annotations

from flask import render_template

from .views import bp


@bp.route("/accessibility")
def accessibility():
    """What the portal meets of WCAG 2.1 AA, what it does not yet, and where to write."""
    return render_template("accessibility.html")
