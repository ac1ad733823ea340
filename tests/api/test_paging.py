"""Every list call pages on the server as DESIGN.md §8 says: `page` from 1, `per_page` 1 to 200
(50 when left out), the answer `{items, page, pages, total}`, cut by the SQL, and a provider's
pages and total hold only what it may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Bid, Contract, Invoice, Lot, Tender
from contracts.rules.periods import COPENHAGEN
from provider_portal.api.declare import REGISTRY
from provider_portal.extensions import db
from tests.api.answers import check_against_document, document
from tests.api.conftest import add_programmes, bearer
from tests.api.sql_statements import statements

NOW = datetime(2019, 1, 24, 9, 0, tzinfo=COPENHAGEN)
PRICE = {"monthly_fee": Decimal("9000.00"), "hourly_rate": Decimal("45.00")}


@dataclass(frozen=True)
class World:
    staff: str
    a: int  # provider A and its user's token
    a_token: str
    b: int
    b_token: str
    tender_id: int  # the tender with the bids (its deadline has passed)


def _contract(provider_id: int, programme_id: int, reference: str, start: date) -> Contract:
    return Contract(
        reference=reference,
        provider_id=provider_id,
        programme_id=programme_id,
        kind="special_effort",
        start_on=start,
        end_on=start + timedelta(days=365),
        max_end_on=start + timedelta(days=500),
        outcome_bonus=Decimal("15000.00"),
        ceiling=Decimal("3000000.00"),
        **PRICE,
    )


def _invoice(contract: Contract, month: str) -> Invoice:
    return Invoice(
        contract_id=contract.id,
        month=month,
        vat_rate=Decimal("0.25"),
        net=Decimal("100.00"),
        vat=Decimal("25.00"),
        total=Decimal("125.00"),
    )


def build_world(app, make_provider, make_token) -> World:
    """Five providers; A has 5 contracts, 5 invoices and 4 bids, B has 2, 2 and 3; of five
    tenders two are drafts (a provider user does not see them)."""
    app.config["PORTAL_TODAY"], app.config["PORTAL_NOW"] = NOW.date(), NOW
    with app.app_context():
        programmes = list(add_programmes(db.session).values())
        a, b, *_ = [make_provider(db.session).id for _ in range(5)]
        for provider_id, count in ((a, 5), (b, 2)):
            for n in range(count):
                contract = _contract(
                    provider_id, programmes[0], f"P{provider_id}-{n}", date(2018, 1 + n, 1)
                )
                db.session.add(contract)
                db.session.flush()
                db.session.add(_invoice(contract, f"2018-{8 + n:02d}"))
        tenders = []
        for n, published in enumerate((True, False, True, False, True)):
            tender = Tender(
                reference=f"UDB-{n}",
                title=f"Udbud {n}",
                status="published" if published else "draft",
                published_at=NOW - timedelta(days=30) if published else None,
                deadline_at=NOW - timedelta(days=1) if published else None,
            )
            db.session.add(tender)
            tenders.append(tender)
        db.session.flush()
        lots = [
            Lot(
                tender_id=tenders[0].id,
                programme_id=programme_id,
                number=number,
                title=f"Delaftale {number}",
                expected_hours=Decimal("10.00"),
                expected_outcome_rate=Decimal("0.3"),
                w_price=Decimal("0.6"),
                w_quality=Decimal("0.4"),
            )
            for number, programme_id in enumerate(programmes, start=1)
        ]
        db.session.add_all(lots)
        db.session.flush()
        for provider_id, count in ((a, 4), (b, 3)):
            for lot in lots[:count]:
                db.session.add(
                    Bid(
                        lot_id=lot.id,
                        provider_id=provider_id,
                        outcome_bonus=Decimal("20000.00"),
                        submitted_at=NOW - timedelta(days=5),
                        **PRICE,
                    )
                )
        tender_id = tenders[0].id
        db.session.commit()
    return World(
        staff=make_token(app, "indkob@example.dk", "procurement"),
        a=a,
        a_token=make_token(app, "alfa@example.dk", "provider", a),
        b=b,
        b_token=make_token(app, "beta@example.dk", "provider", b),
        tender_id=tender_id,
    )


@pytest.fixture
def world(app, make_provider, make_token) -> World:
    return build_world(app, make_provider, make_token)


@pytest.fixture
def any_world(any_app, make_provider, make_token) -> World:
    """The world on SQLite and on PostgreSQL."""
    return build_world(any_app, make_provider, make_token)


# Each list call: its documented path, how many rows staff, A and B see, and whether an item
# is one of the provider's (given the provider's id and the ids of its contracts).
CALLS = {
    "providers": ("/api/v1/providers", (5, 1, 1), lambda item, p, own: item["id"] == p),
    "contracts": (
        "/api/v1/contracts",
        (7, 5, 2),
        lambda item, p, own: item["provider"]["id"] == p,
    ),
    "tenders": ("/api/v1/tenders", (5, 3, 3), lambda item, p, own: item["status"] != "draft"),
    "bids": (
        "/api/v1/tenders/{tender_id}/bids",
        (7, 4, 3),
        lambda item, p, own: item["provider"]["id"] == p,
    ),
    "invoices": ("/api/v1/invoices", (7, 5, 2), lambda item, p, own: item["contract_id"] in own),
}


def _url(world: World, name: str) -> str:
    return CALLS[name][0].format(tender_id=world.tender_id)


def _pages(client, url: str, token: str, per_page: int) -> list[dict]:
    """Every page of the call, from the first to the last it names."""
    first = client.get(f"{url}?per_page={per_page}", headers=bearer(token)).get_json()
    rest = [
        client.get(f"{url}?per_page={per_page}&page={n}", headers=bearer(token)).get_json()
        for n in range(2, first["pages"] + 1)
    ]
    return [first, *rest]


# Paged list calls whose paging is tested beside the rest of their rules, with their own data.
PAGED_ELSEWHERE = {
    "/api/v1/notices": "tests/notices/test_notices_api.py",
    "/api/v1/postings": "tests/finance/test_postings.py",
    "/api/v1/audit": "tests/audit/test_audit_log.py",
    "/api/v1/tokens": "tests/api/test_token_lifecycle.py",
    "/api/v1/tenders/{tender_id}/lots/{lot_id}/bid/attachments": (
        "tests/bid_files/test_bid_attachments.py"
    ),
    "/api/v1/contracts/{contract_id}/documents": "tests/bid_files/test_contract_documents.py",
    "/api/v1/tenders/{tender_id}/documents": "tests/files/test_material_paging.py",
    "/api/v1/tenders/{tender_id}/questions": "tests/files/test_material_paging.py",
    "/api/v1/tenders/{tender_id}/answers": "tests/files/test_material_paging.py",
    "/api/v1/tenders/{tender_id}/deadline-moves": "tests/files/test_material_paging.py",
    "/api/v1/claims": "tests/milestones/test_milestone_story.py",
}


def test_every_list_call_is_paged():
    listed = {op.path for op in REGISTRY if op.paged}
    assert listed == {path for path, _, _ in CALLS.values()} | set(PAGED_ELSEWHERE)


@pytest.mark.postgres
@pytest.mark.parametrize("name", CALLS)
def test_staff_page_through_everything(any_app, any_world, name):
    client, world = any_app.test_client(), any_world
    total = CALLS[name][1][0]
    url = _url(world, name)
    pages = _pages(client, url, world.staff, 2)
    count = -(-total // 2)
    assert [list(page) for page in pages] == [["items", "page", "pages", "total"]] * count
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [
        (n, count, total) for n in range(1, count + 1)
    ]
    assert [len(p["items"]) for p in pages] == [2] * (count - 1) + [total - 2 * (count - 1)]
    paged_ids = [item["id"] for page in pages for item in page["items"]]
    whole = client.get(f"{url}?per_page=200", headers=bearer(world.staff)).get_json()
    assert paged_ids == [item["id"] for item in whole["items"]] and len(set(paged_ids)) == total
    past = client.get(f"{url}?per_page=2&page=9", headers=bearer(world.staff)).get_json()
    assert past == {"items": [], "page": 9, "pages": len(pages), "total": total}


@pytest.mark.postgres
@pytest.mark.parametrize("name", CALLS)
def test_a_provider_pages_through_its_own_only(any_app, any_world, name):
    app, client, world = any_app, any_app.test_client(), any_world
    _, (_, a_total, b_total), own = CALLS[name]
    url = _url(world, name)
    with app.app_context():
        contracts_of = {
            p: set(db.session.scalars(sa.select(Contract.id).where(Contract.provider_id == p)))
            for p in (world.a, world.b)
        }
    for provider_id, token, total in (
        (world.a, world.a_token, a_total),
        (world.b, world.b_token, b_total),
    ):
        pages = _pages(client, url, token, 2)
        assert {(p["pages"], p["total"]) for p in pages} == {(-(-total // 2), total)}
        items = [item for page in pages for item in page["items"]]
        assert len(items) == total and len({item["id"] for item in items}) == total
        assert all(own(item, provider_id, contracts_of[provider_id]) for item in items), items


@pytest.mark.parametrize("name", CALLS)
def test_the_sql_cuts_the_page(app, client, world, name):
    with statements(app) as sent:
        answer = client.get(f"{_url(world, name)}?per_page=2&page=2", headers=bearer(world.staff))
    assert answer.status_code == 200 and len(answer.get_json()["items"]) == 2
    assert any("count(*)" in s.lower() for s in sent), sent
    assert any("LIMIT" in s.upper() and "OFFSET" in s.upper() for s in sent), sent


BAD = [
    ("page=0", "page", "must be at least 1"),
    ("page=-1", "page", "must be at least 1"),
    ("page=x", "page", "must be a whole number"),
    ("per_page=0", "per_page", "must be at least 1"),
    ("per_page=201", "per_page", "must be at most 200"),
    ("per_page=many", "per_page", "must be a whole number"),
    ("size=10", "size", "is not a known field"),
]


@pytest.mark.parametrize("name", CALLS)
def test_bad_paging_is_refused_naming_the_parameter(app, client, world, name):
    doc = document(client)
    url = _url(world, name)
    for query, field, message in BAD:
        answer = client.get(f"{url}?{query}", headers=bearer(world.staff))
        assert answer.status_code == 422, (query, answer.get_json())
        assert answer.get_json() == {"errors": [{"field": field, "message": message}]}, query
        check_against_document(doc, "GET", CALLS[name][0], answer)
    both = client.get(f"{url}?page=0&per_page=201", headers=bearer(world.staff)).get_json()
    assert {e["field"] for e in both["errors"]} == {"page", "per_page"}


@pytest.mark.parametrize("name", CALLS)
def test_the_document_declares_the_paging(app, client, world, name):
    doc = document(client)
    call = doc["paths"][CALLS[name][0]]["get"]
    parameters = {p["name"]: p for p in call["parameters"] if p["in"] == "query"}
    assert parameters["page"]["required"] is False and parameters["page"]["schema"]["minimum"] == 1
    per_page = parameters["per_page"]["schema"]
    assert (per_page["minimum"], per_page["maximum"], per_page["default"]) == (1, 200, 50)
    answer = call["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(answer["properties"]) == ["items", "page", "pages", "total"]
    assert "422" in call["responses"]
    check_against_document(
        doc, "GET", CALLS[name][0], client.get(_url(world, name), headers=bearer(world.staff))
    )


def test_fifty_to_a_page_when_not_asked(app, client, world):
    with app.app_context():
        programme_id = next(iter(add_programmes(db.session).values()))
        for n in range(50):
            db.session.add(_contract(world.b, programme_id, f"MANY-{n}", date(2018, 1, 1)))
        db.session.commit()
    first = client.get("/api/v1/contracts", headers=bearer(world.b_token)).get_json()
    last = client.get("/api/v1/contracts?page=2", headers=bearer(world.b_token)).get_json()
    assert (len(first["items"]), first["pages"], first["total"]) == (50, 2, 52)
    assert (len(last["items"]), last["page"]) == (2, 2)
    staff = client.get("/api/v1/contracts?per_page=200", headers=bearer(world.staff)).get_json()
    assert (len(staff["items"]), staff["pages"], staff["total"]) == (57, 1, 57)


def test_the_tender_status_now_is_filtered_in_the_query(app, client, world):
    def found(status: str) -> tuple[int, list[str]]:
        answer = client.get(
            f"/api/v1/tenders?status={status}&per_page=2", headers=bearer(world.staff)
        )
        body = answer.get_json()
        return body["total"], [t["status"] for t in body["items"]]

    # The published tenders' deadline passed yesterday: they are closed now.
    assert found("closed") == (3, ["closed", "closed"])
    assert found("published") == (0, [])
    assert found("draft") == (2, ["draft", "draft"])
    app.config["PORTAL_NOW"] = NOW - timedelta(days=2)
    assert found("published") == (3, ["published", "published"])
    assert found("closed") == (0, [])
