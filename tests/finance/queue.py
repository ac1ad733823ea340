"""Run the documents queue in the test's own process (a real worker is tested in test_documents_jobs)."""

from __future__ import annotations

import subprocess

from rq import SimpleWorker

from provider_portal.jobs.queues import AppContextJob, queue, redis_connection


def run_documents(app, monkeypatch) -> None:
    """Work off the documents queue once, in this process, inside `app`'s context."""
    monkeypatch.setattr(AppContextJob, "app", app)
    with app.app_context():
        connection = redis_connection()
        SimpleWorker(
            [queue("documents", connection)], connection=connection, job_class=AppContextJob
        ).work(burst=True, with_scheduler=False)
        connection.close()


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    return " ".join(text.decode("utf-8").split())


def queued_pdf(app, client, monkeypatch, url: str) -> bytes:
    """Follow a queued document from its link to its download, running the queue in between."""
    started = client.get(url)
    assert started.status_code == 302, started.status_code
    page_url = started.headers["Location"]
    assert "/finance/documents/pdf-" in page_url
    run_documents(app, monkeypatch)
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-status="ready"' in page, page
    download = client.get(page_url + "/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    return download.data
