"""The admin's outbox pages (issue 15): 50 mails a page, newest first, never a one-time link's,
which is left out by its file name (mails stored before the names carried their kind are read)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import lxml.html
from flask_mailman import EmailMessage

from provider_portal.mail.outbox import KIND_HEADER, OutboxBackend, folder
from tests.factories import logged_in_client

START = datetime(2019, 1, 1, 8, 0, tzinfo=UTC)


def store(app, count: int) -> None:
    """`count` mails a minute apart, subject "Mail n"; the 61st an invitation, then the oldest ten
    under the names given before the kind was in them."""
    with app.app_context():
        messages = []
        for n in range(1, count + 2):
            kind = "invitation" if n == 61 else "report_rejected"
            moment = START + timedelta(minutes=n)
            messages.append(
                EmailMessage(
                    f"Link {n}" if kind == "invitation" else f"Mail {n}",
                    "Body",
                    "noreply@example.dk",
                    ["someone@example.dk"],
                    headers={KIND_HEADER: kind, "Date": format_datetime(moment)},
                )
            )
        OutboxBackend().send_messages(messages)
        for path in sorted(folder().glob("*.eml"))[:10]:
            path.rename(path.with_name(re.sub(r"-[a-z_]+\.eml$", ".eml", path.name)))


def subjects(answer) -> list[str]:
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    page = lxml.html.fromstring(answer.get_data(as_text=True))
    return [cell.text_content().strip() for cell in page.xpath("//table//td[3]")]


def test_the_outbox_shows_50_mails_a_page_newest_first_and_never_a_link(app):
    store(app, 120)
    admin = logged_in_client(app, "admin@example.dk", "admin")

    first = subjects(admin.get("/admin/outbox/"))
    assert first == [f"Mail {n}" for n in range(121, 71, -1) if n != 61]
    second = subjects(admin.get("/admin/outbox/?page=2"))
    assert second == [f"Mail {n}" for n in range(71, 20, -1) if n != 61]
    # The last page holds the oldest 20, ten of them under the old names.
    assert subjects(admin.get("/admin/outbox/?page=3")) == [f"Mail {n}" for n in range(20, 0, -1)]
    assert not any("Link" in s for s in first + second)
    assert 'href="/admin/outbox/?page=3"' in admin.get("/admin/outbox/").get_data(as_text=True)

    past = admin.get("/admin/outbox/?page=999")
    assert subjects(past) == []
    assert "Der er ingen mails på denne side." in past.get_data(as_text=True)
    assert subjects(admin.get("/admin/outbox/?page=abc")) == first
