"""A tender with procurement, two providers (two users each for the first) and finance, on the
demo day (24 January 2019; bids due 15 March 2019 at noon), and calls to upload its material."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.api.conftest import (
    bearer,
    make_token,  # noqa: F401  (the fixture is shared)
)
from tests.bodies import TENDER
from tests.conftest import VALID_CVRS
from tests.procurement.conftest import Api, set_clock


@dataclass
class World:
    app: object
    client: object
    api: Api
    staff: str
    a: str
    a2: str
    b: str
    finance: str
    provider_ids: list[int]

    def tender(self, publish: bool = True, **changes) -> int:
        status, tender = self.api("POST", "/api/v1/tenders", self.staff, {**TENDER, **changes})
        assert status == 201, tender
        if publish:
            assert self.api("POST", f"/api/v1/tenders/{tender['id']}/publish", self.staff)[0] == 200
        return tender["id"]

    def upload(self, tender_id: int, data: bytes, filename: str, token: str | None = None, **form):
        fields = {"title": "Udbudsbetingelser", "document_type": "biddingDocuments", **form}
        fields["file"] = FileStorage(io.BytesIO(data), filename=filename)
        # Encoded in memory: the test client would spool a large body to a temporary file that
        # nobody closes when the portal refuses it unread (413).
        boundary, body = encode_multipart(fields)
        return self.client.post(
            f"/api/v1/tenders/{tender_id}/documents",
            data=body,
            headers=bearer(token or self.staff),
            content_type=f"multipart/form-data; boundary={boundary}",
        )


@pytest.fixture
def world(any_app, make_token) -> World:  # noqa: F811  (the shared fixture)
    """On SQLite and on PostgreSQL: files are blobs on one, bytea on the other."""
    app, client = any_app, any_app.test_client()
    set_clock(app, date(2019, 1, 24))
    api = Api(client)
    staff = make_token(app, "indkob@example.dk", "procurement")
    ids = [
        api("POST", "/api/v1/providers", staff, {"name": f"Leverandør {n}", "cvr": VALID_CVRS[n]})[
            1
        ]["id"]
        for n in (0, 1)
    ]
    return World(
        app=app,
        client=client,
        api=api,
        staff=staff,
        a=make_token(app, "a@example.dk", "provider", ids[0]),
        a2=make_token(app, "a2@example.dk", "provider", ids[0]),
        b=make_token(app, "b@example.dk", "provider", ids[1]),
        finance=make_token(app, "okonomi@example.dk", "finance"),
        provider_ids=ids,
    )
