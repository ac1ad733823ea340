"""Files kept in the database whole or not at all, and answered as inert downloads."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import StoredFile
from contracts.rules.file_checks import FileRefused
from contracts.services.stored_files import store_file
from provider_portal.extensions import db
from provider_portal.file_responses import content_disposition, file_response

from . import samples


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


def test_a_file_is_kept_whole_with_what_was_read_from_it(any_app):
    data = samples.pdf()
    with any_app.app_context():
        stored = store_file(db.session, data, "../Udbudsbetingelser.pdf")
        db.session.commit()
        db.session.expire_all()
        kept = db.session.get(StoredFile, stored.id)
        assert kept.content == data
        assert (kept.filename, kept.media_type, kept.size) == (
            "Udbudsbetingelser.pdf",
            "application/pdf",
            len(data),
        )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"not a pdf at all", "falsk.pdf"),
        (samples.encrypted_pdf(), "krypteret.pdf"),
        (samples.javascript_pdf(), "script.pdf"),
    ],
)
def test_a_refused_file_stores_nothing(any_app, data, name):
    with any_app.app_context():
        with pytest.raises(FileRefused):
            store_file(db.session, data, name)
        db.session.commit()
        assert _count() == 0


def test_a_download_is_an_inert_attachment(app):
    with app.test_request_context():
        stored = StoredFile(
            filename="Tilbudsliste æøå.xlsx",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            content=b"PK",
            size=2,
            sha256="0" * 64,
        )
        response = file_response(stored)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Tilbudsliste aeoeaa.xlsx"; '
        "filename*=UTF-8''Tilbudsliste%20%C3%A6%C3%B8%C3%A5.xlsx"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.mimetype.startswith("application/vnd.openxmlformats")


def test_a_quote_in_a_name_cannot_end_the_header_value():
    header = content_disposition('a";b.pdf')
    assert header.startswith('attachment; filename="a__b.pdf";')
