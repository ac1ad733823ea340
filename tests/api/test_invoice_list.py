"""The invoice list pages on the server as DESIGN.md §8 says: `page`, `per_page` up to 200,
`{items, page, pages, total}`, each invoice with its lines, at the same cost whatever the page's size."""

from __future__ import annotations

import pytest

from provider_portal.extensions import db
from tests.api.answers import check_against_document, document
from tests.api.conftest import bearer
from tests.api.sql_statements import statements
from tests.finance.helpers import corrected_invoice, sample_invoice


@pytest.fixture
def invoice_ids(app) -> list[int]:
    """January's invoice, its credit note and the corrected invoice, in the order the list gives them."""
    with app.app_context():
        invoice = sample_invoice(db.session)
        note, new = corrected_invoice(db.session, invoice)
        db.session.commit()
        return sorted([invoice.id, note.id, new.id])


@pytest.fixture
def token(app, make_token) -> str:
    return make_token(app, "okonomi@example.dk", "finance")


def test_the_list_is_paged_with_each_invoice_and_its_lines(app, client, invoice_ids, token):
    first = client.get("/api/v1/invoices?per_page=2", headers=bearer(token)).get_json()
    second = client.get(
        "/api/v1/invoices?month=2019-01&per_page=2&page=2", headers=bearer(token)
    ).get_json()
    assert {k: first[k] for k in ("page", "pages", "total")} == {"page": 1, "pages": 2, "total": 3}
    assert {k: second[k] for k in ("page", "pages", "total")} == {"page": 2, "pages": 2, "total": 3}
    assert [i["id"] for i in first["items"] + second["items"]] == invoice_ids
    for listed in first["items"] + second["items"]:
        assert (
            listed
            == client.get(f"/api/v1/invoices/{listed['id']}", headers=bearer(token)).get_json()
        )
    assert [i["kind"] for i in first["items"] + second["items"]] == [
        "invoice",
        "credit_note",
        "invoice",
    ]
    assert len(first["items"][0]["lines"]) == 7

    everything = client.get("/api/v1/invoices", headers=bearer(token)).get_json()
    assert (everything["page"], everything["pages"], everything["total"]) == (1, 1, 3)
    past = client.get("/api/v1/invoices?per_page=2&page=3", headers=bearer(token)).get_json()
    assert past == {"items": [], "page": 3, "pages": 2, "total": 3}
    farthest = client.get("/api/v1/invoices?per_page=200&page=2147483647", headers=bearer(token))
    assert farthest.status_code == 200 and farthest.get_json()["items"] == []
    none = client.get("/api/v1/invoices?month=2019-02", headers=bearer(token)).get_json()
    assert none == {"items": [], "page": 1, "pages": 1, "total": 0}


def test_a_page_costs_the_same_statements_whatever_its_size(app, client, invoice_ids, token):
    # The day's first read is audited (one more statement); both measured reads come after it.
    client.get("/api/v1/invoices?per_page=1", headers=bearer(token))
    counts = []
    for per_page in (1, 3):
        with statements(app) as sent:
            answer = client.get(f"/api/v1/invoices?per_page={per_page}", headers=bearer(token))
        assert len(answer.get_json()["items"]) == per_page
        counts.append(len(sent))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page=0", "page", "must be at least 1"),
        ("page=-1", "page", "must be at least 1"),
        ("page=two", "page", "must be a whole number"),
        ("page=1.5", "page", "must be a whole number"),
        ("page=2147483648", "page", "must be at most 2147483647"),
        ("page=" + "9" * 40, "page", "must be at most 2147483647"),
        ("per_page=0", "per_page", "must be at least 1"),
        ("per_page=201", "per_page", "must be at most 200"),
        ("per_page=all", "per_page", "must be a whole number"),
        ("size=10", "size", "is not a known field"),
    ],
)
def test_bad_paging_is_refused_with_a_plain_message(
    app, client, invoice_ids, token, query, field, message
):
    answer = client.get(f"/api/v1/invoices?{query}", headers=bearer(token))
    assert answer.status_code == 422
    assert answer.get_json() == {"errors": [{"field": field, "message": message}]}
    check_against_document(document(client), "GET", "/api/v1/invoices", answer)


def test_the_document_declares_the_paging_and_the_answer_matches_it(
    app, client, invoice_ids, token
):
    doc = document(client)
    parameters = {p["name"]: p for p in doc["paths"]["/api/v1/invoices"]["get"]["parameters"]}
    assert {"contract_id", "month", "page", "per_page"} <= set(parameters)
    assert parameters["page"]["schema"]["minimum"] == 1 and parameters["page"]["required"] is False
    assert (
        parameters["per_page"]["schema"]["minimum"],
        parameters["per_page"]["schema"]["maximum"],
    ) == (1, 200)
    check_against_document(
        doc,
        "GET",
        "/api/v1/invoices",
        client.get("/api/v1/invoices?per_page=2", headers=bearer(token)),
    )


def test_a_provider_pages_through_its_own_invoices_only(app, client, make_token, invoice_ids):
    from contracts.models import Contract, Invoice

    with app.app_context():
        provider_id = db.session.get(
            Contract, db.session.get(Invoice, invoice_ids[0]).contract_id
        ).provider_id
    own = make_token(app, "leverandor@example.dk", "provider", provider_id)
    listed = client.get("/api/v1/invoices?per_page=2&page=2", headers=bearer(own)).get_json()
    assert ([i["id"] for i in listed["items"]], listed["pages"], listed["total"]) == (
        invoice_ids[2:],
        2,
        3,
    )
