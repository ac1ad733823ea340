"""Text a page request carries that no database can hold: the NUL character (U+0000).

PostgreSQL refuses NUL in text, so a query value, form field, file name or path part holding
one failed at the first statement that used it, with a 500 (`make fuzz` found it in a search
box and a filter). Nobody types it, so a page request carrying one is answered 400, with the
field named, before any view runs. The API refuses it where it reads each value (api/types.py),
with the field, as its document says.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _

from .security import is_api_request

NUL = "\x00"


def _field_with_nul() -> str | None:
    """The name of the first of the request's values that holds a NUL ("" when the name itself
    does), or None when none does."""
    pairs = [
        *(request.view_args or {}).items(),
        *request.args.items(multi=True),
        *request.form.items(multi=True),  # parsed for the CSRF check all the same
        *((name, file.filename or "") for name, file in request.files.items(multi=True)),
    ]
    for name, value in pairs:
        if NUL in name:
            return ""
        if isinstance(value, str) and NUL in value:
            return name
    return None


def _refuse_nul():
    if is_api_request():
        return None
    field = _field_with_nul()
    if field is None:
        return None
    if field:
        message = _(
            "The field “%(field)s” contains a character that cannot be used (NUL, U+0000). "
            "Remove it and try again. Nothing was changed.",
            field=field,
        )
    else:
        message = _(
            "The request contains a character that cannot be used (NUL, U+0000). "
            "Remove it and try again. Nothing was changed."
        )
    return render_template("errors/error.html", status=400, message=message), 400


def init_app(app: Flask) -> None:
    # After the sign-in gate: a visitor is sent to the login page as for any page.
    app.before_request(_refuse_nul)
