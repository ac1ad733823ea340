"""Routes that take a file of up to 25 MB, beside the 10 MB every other request may send.

A view marked `@accepts_files` may receive MAX_FILE_BYTES and a margin for the form around
the file; the limit is set per request (Flask 3.1's `request.max_content_length`) before any
before-request function (the CSRF check) reads the body. A larger body is a 413 saying the
25 MB limit, in Danish on a page and in JSON on the API.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request

from contracts.rules.file_checks import MAX_FILE_BYTES

# The multipart form around a file: its boundary, headers and the other fields.
FORM_MARGIN = 256 * 1024
FILE_REQUEST_LIMIT = MAX_FILE_BYTES + FORM_MARGIN
FILE_TOO_LARGE = "The file is too large. It may be at most 25 MB."


def accepts_files(view: Callable) -> Callable:
    """Mark a view as taking files of up to 25 MB (kept through functools.wraps)."""
    view.accepts_files = True
    return view


def takes_files() -> bool:
    """Whether the current request's view is marked `accepts_files`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "accepts_files", False))


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def _file_limit(_endpoint, _values):
        # URL value preprocessors run before every before_request function.
        if takes_files():
            request.max_content_length = FILE_REQUEST_LIMIT
