"""A bid's files are sealed as its prices: before the deadline only the bidder sees them (not
procurement, finance, another provider, nor the OCDS export, not even how many there are);
after it procurement sees and downloads them, each download audited; another provider never."""

from __future__ import annotations

import sqlalchemy as sa

from contracts.models import AuditEvent, BidAttachment, StoredFile
from tests.api.conftest import bearer, count
from tests.bid_files.conftest import AFTER_DEADLINE, send_file
from tests.files.samples import pdf
from tests.procurement.conftest import Api, set_clock

NO_ITEMS = {"items": [], "page": 1, "pages": 1, "total": 0}
METHOD = "Metodebeskrivelse Leverandør 0.pdf"


def _attach(client, bidding, token=None, data=None, filename=METHOD, kind="method_description"):
    return send_file(client, bidding.files, token or bidding.a, data or pdf(), filename, kind=kind)


def test_only_the_bidder_sees_its_files_before_the_deadline(app, client, bidding):
    api = Api(client)
    added = _attach(client, bidding)
    assert added.status_code == 201, added.get_json()
    file_id = added.get_json()["id"]
    assert (
        added.get_json()["filename"] == METHOD and added.get_json()["kind"] == "method_description"
    )
    mine = api("GET", bidding.files, bidding.a)[1]
    assert [item["id"] for item in mine["items"]] == [file_id]
    one = client.get(f"{bidding.files}/{file_id}", headers=bearer(bidding.a))
    assert one.status_code == 200 and one.data == pdf()
    assert one.headers["Content-Disposition"].startswith("attachment")
    # Nobody else learns that a file (or how many) exists: an empty list, a 404 for the file.
    for token in (bidding.staff, bidding.b):
        assert api("GET", bidding.files, token) == (200, NO_ITEMS)
        assert client.get(f"{bidding.files}/{file_id}", headers=bearer(token)).status_code == 404
    assert api("GET", bidding.files, bidding.finance)[0] == 403
    assert (
        client.get(f"{bidding.files}/{file_id}", headers=bearer(bidding.finance)).status_code == 403
    )
    for token in (bidding.staff, bidding.finance):
        export = str(api("GET", "/api/v1/ocds/releases", token)[1])
        assert METHOD not in export and "Metodebeskrivelse" not in export


def test_after_the_deadline_procurement_sees_and_downloads_every_file_audited(app, client, bidding):
    api = Api(client)
    first = _attach(client, bidding).get_json()["id"]
    _attach(client, bidding, token=bidding.b, filename="CV.pdf", kind="cv")
    set_clock(app, AFTER_DEADLINE)
    listed = api("GET", bidding.files, bidding.staff)[1]
    assert sorted(item["filename"] for item in listed["items"]) == ["CV.pdf", METHOD]
    assert listed["total"] == 2
    before = _downloads(app)
    got = client.get(f"{bidding.files}/{first}", headers=bearer(bidding.staff))
    assert got.status_code == 200 and got.data == pdf()
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert _downloads(app) == before + [("bid.attachment_downloaded", "indkob@example.dk")]
    # Another provider still never sees the file; finance has no use for it.
    assert client.get(f"{bidding.files}/{first}", headers=bearer(bidding.b)).status_code == 404
    assert [i["filename"] for i in api("GET", bidding.files, bidding.b)[1]["items"]] == ["CV.pdf"]
    assert (
        client.get(f"{bidding.files}/{first}", headers=bearer(bidding.finance)).status_code == 403
    )


def test_the_bidder_removes_and_adds_until_the_deadline_and_not_after(app, client, bidding):
    api = Api(client)
    file_id = _attach(client, bidding).get_json()["id"]
    status = client.delete(f"{bidding.files}/{file_id}", headers=bearer(bidding.a)).status_code
    assert status == 204
    assert count(app, BidAttachment) == 0 and count(app, StoredFile) == 0
    kept = _attach(client, bidding).get_json()["id"]
    set_clock(app, AFTER_DEADLINE)
    late = _attach(client, bidding)
    assert late.status_code == 409 and "deadline" in late.get_json()["errors"][0]["message"]
    gone = client.delete(f"{bidding.files}/{kept}", headers=bearer(bidding.a))
    assert gone.status_code == 409
    assert [i["id"] for i in api("GET", bidding.files, bidding.a)[1]["items"]] == [kept]


def test_a_provider_cannot_remove_another_providers_file(app, client, bidding):
    file_id = _attach(client, bidding).get_json()["id"]
    assert client.delete(f"{bidding.files}/{file_id}", headers=bearer(bidding.b)).status_code == 404
    assert count(app, BidAttachment) == 1


def _downloads(app) -> list[tuple[str, str]]:
    from provider_portal.extensions import db

    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                sa.select(AuditEvent.action, AuditEvent.actor_label)
                .where(AuditEvent.action == "bid.attachment_downloaded")
                .order_by(AuditEvent.id)
            )
        ]


def test_the_list_is_answered_a_page_at_a_time(app, client, bidding):
    api = Api(client)
    for name in ("CV 1.pdf", "CV 2.pdf", "CV 3.pdf"):
        assert _attach(client, bidding, filename=name, kind="cv").status_code == 201
    pages = [api("GET", f"{bidding.files}?per_page=2&page={n}", bidding.a)[1] for n in (1, 2)]
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [(1, 2, 3), (2, 2, 3)]
    assert [i["filename"] for p in pages for i in p["items"]] == [
        "CV 1.pdf",
        "CV 2.pdf",
        "CV 3.pdf",
    ]
