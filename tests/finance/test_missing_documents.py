"""A document finance asks for that is not there: a 404 page in Danish, not an English sentence."""

from __future__ import annotations

import pytest

from provider_portal.jobs import documents as documents_jobs


@pytest.mark.parametrize(
    "url, danish, english",
    [
        # Well-formed, but never asked for (or expired from the queue).
        (
            f"/finance/documents/{documents_jobs.statement_job_id(1, '2019-01')}",
            "Dokumentet findes ikke; det kan være udløbet. Bed om det igen.",
            "No such document",
        ),
        ("/finance/documents/aggregate-2019-01", "Dokumentet findes ikke.", "No such document"),
        (
            "/finance/documents/aggregate-2019-01/download",
            "Dokumentet findes ikke.",
            "No such document",
        ),
        ("/finance/budget/1999.pdf", "Året findes ikke.", "No such year"),
    ],
)
def test_a_missing_document_is_said_in_danish(app, client, finance, url, danish, english):
    answer = client.get(url)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert danish in page and english not in page


def test_in_english_the_same_page_speaks_english(app, client, finance):
    client.set_cookie("lang", "en")
    page = client.get(f"/finance/documents/{documents_jobs.budget_job_id(2019)}").get_data(
        as_text=True
    )
    assert "No such document; it may have expired. Ask for it again." in page
