"""A published tender with bids from two providers, the staff who may or may not see their
files, and calls that send files as multipart/form-data."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, time

import pytest

from tests.api.conftest import bearer, make_token  # noqa: F401  (the fixture is shared)
from tests.bodies import PRICES, TENDER, contract_body
from tests.conftest import VALID_CVRS
from tests.procurement.conftest import Api, set_clock
from tests.procurement.ocds_schema import validator  # noqa: F401  (the fixture is shared)

BEFORE_DEADLINE = date(2019, 3, 1)
AFTER_DEADLINE = date(2019, 3, 16)


@dataclass
class Bidding:
    """Tokens by role, the tender's API URL, its lot's id and its bids' ids by provider."""

    staff: str
    finance: str
    a: str
    b: str
    tender_id: int
    lot_id: int
    bids: dict[str, int]

    @property
    def url(self) -> str:
        return f"/api/v1/tenders/{self.tender_id}"

    @property
    def files(self) -> str:
        return f"{self.url}/lots/{self.lot_id}/bid/attachments"


def send_file(client, url: str, token: str, data: bytes, filename: str, **fields):
    """POST one file and its fields as a form; returns the response."""
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(url, headers=bearer(token), data=form, content_type="multipart/form-data")


def send_big_file(client, url: str, token: str | None, data: bytes, filename: str, **fields):
    """POST a file as a multipart body built here in memory (the test client would spool a large
    one to a temporary file that a refused request never closes)."""
    boundary = "grænse-7d1b4e7".encode().hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        url,
        headers=bearer(token) if token else {},
        data=b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture
def bidding(app, client, make_token) -> Bidding:  # noqa: F811
    """Procurement publishes a tender (deadline 15 March 2019 12:00); providers A and B bid."""
    api = Api(client)
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    ids = [
        api("POST", "/api/v1/providers", staff, {"name": f"Leverandør {n}", "cvr": VALID_CVRS[n]})[
            1
        ]["id"]
        for n in (0, 1)
    ]
    status, tender = api("POST", "/api/v1/tenders", staff, TENDER)
    assert status == 201, tender
    assert api("POST", f"/api/v1/tenders/{tender['id']}/publish", staff)[0] == 200
    world = Bidding(
        staff=staff,
        finance=make_token(app, "okonomi@example.dk", "finance"),
        a=make_token(app, "a@example.dk", "provider", ids[0]),
        b=make_token(app, "b@example.dk", "provider", ids[1]),
        tender_id=tender["id"],
        lot_id=tender["lots"][0]["id"],
        bids={},
    )
    set_clock(app, BEFORE_DEADLINE, time(10, 0))
    for name in ("a", "b"):
        status, bid = api(
            "PUT", f"{world.url}/lots/{world.lot_id}/bid", getattr(world, name), PRICES
        )
        assert status == 200, bid
        world.bids[name] = bid["id"]
    return world


@pytest.fixture
def signed(app, client, make_token):  # noqa: F811
    """A 2018 contract with provider A, extended once; tokens of procurement, A, B and finance."""
    api = Api(client)
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    ids = [
        api("POST", "/api/v1/providers", staff, {"name": f"Leverandør {n}", "cvr": VALID_CVRS[n]})[
            1
        ]["id"]
        for n in (0, 1)
    ]
    status, contract = api("POST", "/api/v1/contracts", staff, contract_body(ids[0]))
    assert status == 201, contract
    url = f"/api/v1/contracts/{contract['id']}"
    status, extended = api(
        "POST", f"{url}/extend", staff, {"end_date": "2019-08-31", "reason": "Option brugt"}
    )
    assert status == 200, extended
    return {
        "url": url,
        "id": contract["id"],
        "amendment": extended["amendments"][0]["id"],
        "staff": staff,
        "a": make_token(app, "a@example.dk", "provider", ids[0]),
        "b": make_token(app, "b@example.dk", "provider", ids[1]),
        "finance": make_token(app, "okonomi@example.dk", "finance"),
    }
