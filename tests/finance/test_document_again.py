"""A document that failed, or was made and has expired, offers to be made again, like a stalled one
(tests/jobs/test_document_faults.py): every end but "ready" has a way forward."""

from __future__ import annotations

import pytest

from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from provider_portal.jobs.queues import redis_connection
from tests.conftest import login
from tests.finance.helpers import sample_invoice
from tests.finance.queue import run_documents
from tests.pages import PageParts


@pytest.fixture
def statement(app, client, make_user):
    """The finance user's client and the sample provider's January statement: its link and page."""
    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        provider_id = sample_invoice(db.session).contract.provider_id
        db.session.commit()
    login(client, "okonomi@example.dk")
    link = f"/finance/statements/{provider_id}/2019-01.pdf"
    return link, f"/finance/documents/{documents_jobs.statement_job_id(provider_id, '2019-01')}"


def make_again(page: str) -> str:
    """The "Lav dokumentet igen" button's link."""
    button = PageParts(page).xpath(
        "//a[@class = 'button'][normalize-space() = 'Lav dokumentet igen']/@href"
    )
    assert button, page
    return button[0]


def test_a_failed_document_can_be_made_again(app, client, statement, monkeypatch):
    link, page_url = statement

    def broken(provider_id, month):
        raise RuntimeError("the PDF engine ran out of fonts")

    monkeypatch.setattr(documents_jobs, "RETRY", None)  # fail at once, not after three retries
    monkeypatch.setattr(documents_jobs, "render_statement", broken)
    assert client.get(link).headers["Location"] == page_url
    run_documents(app, monkeypatch)
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-status="failed"' in page and "Dokumentet kunne ikke laves." in page
    # What went wrong inside is the administrator's to read, on the failed-jobs page.
    assert "ran out of fonts" not in page
    assert make_again(page) == link
    monkeypatch.undo()
    again = client.get(make_again(page))
    assert again.headers["Location"] == page_url
    assert 'data-status="queued"' in client.get(page_url).get_data(as_text=True)
    run_documents(app, monkeypatch)
    assert 'data-status="ready"' in client.get(page_url).get_data(as_text=True)


def test_an_expired_document_can_be_made_again(app, client, statement, monkeypatch):
    link, page_url = statement
    client.get(link)
    run_documents(app, monkeypatch)
    assert 'data-status="ready"' in client.get(page_url).get_data(as_text=True)
    with app.app_context():  # the kept PDF's time is up
        redis_connection().delete(documents_jobs.document_key(page_url.rsplit("/", 1)[1]))
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-status="expired"' in page and "gemmes ikke længere" in page
    assert make_again(page) == link
    client.get(make_again(page))
    run_documents(app, monkeypatch)
    assert 'data-status="ready"' in client.get(page_url).get_data(as_text=True)


def test_a_document_being_made_offers_no_second_render(app, client, statement):
    link, page_url = statement
    client.get(link)
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-status="queued"' in page and "Lav dokumentet igen" not in page
