"""A bid's files through the pages: the bidder attaches them on its bid page (a bad file is
refused in Danish with 422 and nothing stored); procurement sees none on the tender page before
the deadline and every bid's beside the quality points after it, downloading them audited;
another provider never sees them."""

from __future__ import annotations

import io

import sqlalchemy as sa

from contracts.models import AuditEvent, BidAttachment, StoredFile
from tests.api.conftest import count
from tests.bid_files.conftest import AFTER_DEADLINE
from tests.conftest import csrf_token, login
from tests.files.samples import javascript_pdf, pdf
from tests.pages import PageParts
from tests.procurement.conftest import set_clock

NAME = "Metodebeskrivelse A.pdf"


def _attach(client, bidding, data: bytes, name: str = NAME):
    bid_page = f"/procurement/tenders/{bidding.tender_id}/lots/{bidding.lot_id}/bid"
    token = csrf_token(client.get(bid_page).get_data(as_text=True))
    form = {"csrf_token": token, "kind": "method_description", "file": (io.BytesIO(data), name)}
    return client.post(f"{bid_page}/attachments", data=form, content_type="multipart/form-data")


def test_files_are_sealed_on_the_pages_until_the_deadline(app, bidding):
    bidder = app.test_client()
    login(bidder, "a@example.dk")
    refused = _attach(bidder, bidding, javascript_pdf())
    assert refused.status_code == 422
    assert "JavaScript" in PageParts(refused.get_data(as_text=True)).text
    assert count(app, StoredFile) == 0
    assert _attach(bidder, bidding, pdf()).status_code == 302
    bid_page = f"/procurement/tenders/{bidding.tender_id}/lots/{bidding.lot_id}/bid"
    assert NAME in bidder.get(bid_page).get_data(as_text=True)
    tender_page = f"/procurement/tenders/{bidding.tender_id}"
    staff, other = app.test_client(), app.test_client()
    login(staff, "indkob@example.dk")
    login(other, "b@example.dk")
    assert NAME not in staff.get(tender_page).get_data(as_text=True)
    assert NAME not in other.get(tender_page).get_data(as_text=True)
    file_id = _only_attachment(app)
    download = f"/procurement/tenders/{bidding.tender_id}/bid-files/{file_id}"
    assert staff.get(download).status_code == 404
    set_clock(app, AFTER_DEADLINE)
    page = staff.get(tender_page).get_data(as_text=True)
    assert NAME in page and download in page
    got = staff.get(download)
    assert got.status_code == 200 and got.data == pdf()
    assert "attachment" in got.headers["Content-Disposition"]
    assert other.get(download).status_code == 404
    assert NAME not in other.get(tender_page).get_data(as_text=True)
    assert _downloads(app) == ["indkob@example.dk"]


def _only_attachment(app) -> int:
    from provider_portal.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(BidAttachment.id))


def _downloads(app) -> list[str]:
    from provider_portal.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEvent.actor_label).where(
                    AuditEvent.action == "bid.attachment_downloaded"
                )
            )
        )
