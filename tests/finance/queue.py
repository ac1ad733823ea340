"""Documents made on the documents queue: run in the test's own process, or followed from the
page while a real worker makes them (as in test_documents_jobs.py)."""

from __future__ import annotations

import re
import subprocess
import time

from rq import SimpleWorker

from provider_portal.jobs.queues import AppContextJob, queue, redis_connection
from tests.pages import PageParts


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


def wait_for_download(client, page_url: str, seconds: float = 60) -> bytes:
    """Reload the document's page as its refresh does, until it links the download."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(page_url).get_data(as_text=True)
        parts = PageParts(page)
        statuses = parts.xpath("//@data-status")
        assert "failed" not in statuses, page
        links = [
            href
            for href in parts.xpath("//a/@href")
            if re.fullmatch(r"/finance/documents/[\w-]+/download", href)
        ]
        if links:
            download = client.get(links[0])
            assert download.status_code == 200 and download.mimetype == "application/pdf"
            return download.data
        # Not ready: the page says the document is being made and reloads itself.
        assert {"queued", "started"} & set(statuses), page
        assert parts.find_all("meta", **{"http-equiv": "refresh"}), page
        time.sleep(0.2)
    raise AssertionError(f"{page_url} was not ready after {seconds}s")


def queued_api_pdf(app, client, monkeypatch, url: str, headers: dict) -> bytes:
    """Follow a PDF the API makes on the queue: 202 and its Location, the state while it waits,
    the queue run, the state ready with its `file`, and the file."""
    started = client.get(url, headers=headers)
    assert started.status_code == 202, started.get_data(as_text=True)
    location = started.headers["Location"]
    assert started.get_json()["status"] == "queued" and started.headers["Retry-After"]
    waiting = client.get(location, headers=headers).get_json()
    assert waiting["status"] == "queued" and waiting["file"] is None and waiting["retry_after"]
    run_documents(app, monkeypatch)
    ready = client.get(location, headers=headers).get_json()
    assert ready["status"] == "ready", ready
    download = client.get(ready["file"], headers=headers)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert ready["filename"] in download.headers["Content-Disposition"]
    return download.data
