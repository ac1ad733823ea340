"""Answering a stored file: always a download, never shown in the browser's own context.

`attachment` with the cleaned name (an ASCII fallback and the UTF-8 name by RFC 5987),
`nosniff` so the browser keeps to the stored type, a sandbox so even an opened file runs
nothing with the portal's origin, and no caching of what may be sealed or personal.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response

from contracts.models import StoredFile

DANISH_LETTERS = {"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"}


def _ascii_name(filename: str) -> str:
    # "Bilag æøå.pdf" -> "Bilag aeoeaa.pdf": Danish letters as Danes write them without,
    # other accents dropped, the rest as "_", no quotes.
    for letter, plain in DANISH_LETTERS.items():
        filename = filename.replace(letter, plain)
    folded = filename
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    safe = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in folded)
    return safe.strip() or "fil"


def content_disposition(filename: str) -> str:
    """`attachment; filename="..."; filename*=UTF-8''...` for a cleaned name."""
    return (
        f'attachment; filename="{_ascii_name(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def file_response(stored: StoredFile) -> Response:
    """The stored file as a download with the headers that keep it inert."""
    response = Response(stored.content, mimetype=stored.media_type)
    response.headers["Content-Disposition"] = content_disposition(stored.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
