"""The ERP's posting lines (DESIGN.md §6, Bookkeeping): the demo's 2018 to the øre per programme,
credit notes negative, the CSV as Danish Excel opens it, finance alone, a bad range refused, the
export audited."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent
from contracts.rules.programmes import STANDARD_PROGRAMMES
from contracts.services import DomainError
from contracts.services.audit import Actor
from contracts.services.postings import PostingAccounts, posting_lines
from provider_portal.config import DEMO_POSTING_ACCOUNTS
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.finance.demo_approvals import approve_demo, approve_invoice, approved_net_by_programme
from tests.finance.helpers import FINANCE, corrected_invoice, sample_invoice

D = Decimal
APPROVER = (Actor("okonomi@example.dk"), FINANCE)
ACCOUNTS = PostingAccounts(DEMO_POSTING_ACCOUNTS, "BIF-JC-4410")
YEAR_2018 = {"from": "2018-01-01", "to": "2018-12-31"}


def _excel_rows(data: bytes) -> list[dict[str, str]]:
    """The CSV read the way Danish Excel reads it: UTF-8 after a BOM, `;` between cells."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _amount(cell: str) -> Decimal:
    assert "." not in cell, cell  # a decimal comma, no thousands separator
    return D(cell.replace(",", "."))


@pytest.fixture
def demo_2018(any_app):
    """The demo with 2018 approved, on SQLite and PostgreSQL."""
    approve_demo(any_app, "2018-12")  # December's are issued on 15-01-2019, outside 2018
    return any_app


def test_the_demo_2018_csv_sums_per_programme_to_the_approved_invoices_to_the_ore(
    demo_2018, make_token
):
    client = demo_2018.test_client()
    token = make_token(demo_2018, "okonomi@example.dk", "finance")
    answer = client.get("/api/v1/postings.csv", query_string=YEAR_2018, headers=bearer(token))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "konteringer-2018-01-01-2018-12-31.csv" in answer.headers["Content-Disposition"]
    rows = _excel_rows(answer.data)
    by_account: dict[str, Decimal] = defaultdict(lambda: D("0.00"))
    for row in rows:
        by_account[row["Konto"]] += _amount(row["Netto"])
        assert _amount(row["Netto"]) + _amount(row["Moms"]) == _amount(row["I alt"])
        assert row["Omkostningssted"] == "BIF-JC-4410" and len(row["CVR"]) == 8
        assert row["Tekst"] == f"Særindsats {row['Aftale']} {_month_of(row['Tekst'])}"
        # People read the programme's name; the code stays beside it for the ERP's rules.
        assert row["Indsats"] == NAMES_DA[row["Indsatskode"]]
    with demo_2018.app_context():
        expected = approved_net_by_programme(date(2018, 1, 1), date(2018, 12, 31))
    assert len(expected) == 4 and all(amount > 0 for amount in expected.values())
    assert dict(by_account) == {DEMO_POSTING_ACCOUNTS[c]: net for c, net in expected.items()}
    dates = [row["Dato"] for row in rows]
    assert "15-12-2018" in dates and "15-01-2019" not in dates  # DD-MM-YYYY, by issue date


NAMES_DA = {programme.code: programme.name_da for programme in STANDARD_PROGRAMMES}


def _month_of(text: str) -> str:
    return text.rsplit(" ", 1)[-1]


def test_the_json_pages_carry_the_same_lines(demo_2018, make_token):
    client = demo_2018.test_client()
    token = make_token(demo_2018, "okonomi@example.dk", "finance")
    first = client.get(
        "/api/v1/postings", query_string={**YEAR_2018, "per_page": 20}, headers=bearer(token)
    ).get_json()
    assert first["page"] == 1 and first["total"] == 6 * 9 and first["pages"] == 3
    line = first["items"][0]
    assert line["date"] == "2018-04-15" and line["kind"] == "invoice"
    assert line["account"] in DEMO_POSTING_ACCOUNTS.values() and line["net"].count(".") == 1
    assert D(line["net"]) + D(line["vat"]) == D(line["total"])
    assert line["text"] == f"Særindsats {line['contract_reference']} 2018-03"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/postings", "/api/v1/postings.csv"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/v1/postings"]["get"]["parameters"]}
    assert {"from", "to", "page", "per_page"} <= names


def test_a_credit_note_posts_negative_so_the_lines_sum_to_what_was_spent(app):
    with app.app_context():
        invoice = sample_invoice(db.session)
        day = date(2019, 2, 15)
        approve_invoice(db.session, invoice.id, day, APPROVER)
        note, new = corrected_invoice(db.session, invoice)
        approve_invoice(db.session, note.id, day, APPROVER)
        approve_invoice(db.session, new.id, day, APPROVER)
        lines = posting_lines(db.session, FINANCE, ACCOUNTS, day, day)
        assert [line.kind for line in lines] == ["invoice", "credit_note", "invoice"]
        credit = lines[1]
        assert credit.net == -invoice.net and credit.total == -invoice.total < 0
        assert credit.number == note.number and credit.text.endswith(" kreditnota")
        assert sum((line.net for line in lines), D("0")) == new.net
        assert sum((line.total for line in lines), D("0")) == new.total
        assert {line.account for line in lines} == {DEMO_POSTING_ACCOUNTS["adult-employment"]}
        # The lines name the provider as the invoices were issued to it, whatever it is called now.
        provider = invoice.contract.provider
        provider.name, provider.cvr = "Nyt Navn ApS", "29403473"
        db.session.flush()
        again = posting_lines(db.session, FINANCE, ACCOUNTS, day, day)
        assert {(line.provider_name, line.provider_cvr) for line in again} == {
            ("Nyt Fodfæste A/S", "13585628")
        }


def test_a_programme_without_an_account_is_refused_by_name(app):
    with app.app_context():
        invoice = sample_invoice(db.session)
        approve_invoice(db.session, invoice.id, date(2019, 2, 15), APPROVER)
        accounts = PostingAccounts({"youth-bridging": "5.68.90.1.014.4.9.01"}, "BIF")
        with pytest.raises(DomainError) as refused:
            posting_lines(db.session, FINANCE, accounts, date(2019, 2, 1), date(2019, 2, 28))
        assert refused.value.status == 409 and "adult-employment" in refused.value.message


def test_only_finance_reads_postings_and_a_bad_range_is_422(app, client, make_token):
    for role, provider_id in (("procurement", None), ("provider", _provider_id(app))):
        token = make_token(app, f"{role}@example.dk", role, provider_id)
        for path in ("/api/v1/postings", "/api/v1/postings.csv"):
            answer = client.get(path, query_string=YEAR_2018, headers=bearer(token))
            assert answer.status_code == 403 and "errors" in answer.get_json(), (role, path)
    token = make_token(app, "okonomi@example.dk", "finance")
    for query, field, words in [
        ({"from": "2018-12-31", "to": "2018-01-01"}, "to", "before it starts"),
        ({"from": "2018-01-01", "to": "2019-03-01"}, "to", "at most 400 days"),
        ({"from": "2018-02-30", "to": "2018-03-01"}, "from", "not a date"),
        ({"from": "01-02-2018", "to": "2018-03-01"}, "from", "YYYY-MM-DD"),
        ({"to": "2018-03-01"}, "from", "required"),
    ]:
        for path in ("/api/v1/postings", "/api/v1/postings.csv"):
            answer = client.get(path, query_string=query, headers=bearer(token))
            assert answer.status_code == 422, (query, path)
            error = answer.get_json()["errors"][0]
            assert error["field"] == field and words in error["message"], (query, error)


def _provider_id(app) -> int:
    with app.app_context():
        provider_id = sample_invoice(db.session).contract.provider_id
        db.session.commit()
        return provider_id


def test_the_export_is_an_audit_event_with_the_range_and_the_count(demo_2018, make_token):
    client = demo_2018.test_client()
    token = make_token(demo_2018, "okonomi@example.dk", "finance")
    query = {"from": "2018-12-01", "to": "2018-12-31"}
    answer = client.get("/api/v1/postings.csv", query_string=query, headers=bearer(token))
    assert answer.status_code == 200
    with demo_2018.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "postings.exported")
        )
        assert event.actor_label == "okonomi@example.dk"
        assert event.details == {"from": "2018-12-01", "to": "2018-12-31", "lines": 6}
