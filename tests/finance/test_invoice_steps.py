"""Two steps, two people (DESIGN.md §6) through the API: procurement attests, finance approves or
returns with a reason; a provider-issued contract's provider issues first; each step in the
invoice's history; numbers gap-free per provider."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Invoice, InvoiceApproval, User
from contracts.services import DomainError, approval, invoice_steps, invoicing
from contracts.services.audit import Actor
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.finance.documents import BUYER
from tests.finance.helpers import DAY, at, corrected_invoice, sample_invoice
from tests.scenarios import accepted_sample_month


@pytest.fixture
def tokens(app, make_token):
    """Bearer headers of procurement, finance and the sample provider's user; the sample invoice."""
    with app.app_context():
        invoice = sample_invoice(db.session)
        db.session.commit()
        invoice_id, provider_id = invoice.id, invoice.contract.provider_id
    return {
        "invoice": invoice_id,
        "procurement": bearer(make_token(app, "indkob@example.dk", "procurement")),
        "finance": bearer(make_token(app, "okonomi@example.dk", "finance")),
        "provider": bearer(make_token(app, "leverandor@example.dk", "provider", provider_id)),
    }


def post(client, tokens, role: str, step: str, invoice_id: int | None = None, **body):
    return client.post(
        f"/api/v1/invoices/{invoice_id or tokens['invoice']}/{step}",
        headers=tokens[role],
        json=body,
    )


def steps_of(app, invoice_id: int) -> list[str]:
    with app.app_context():
        return [event.action for event in invoice_steps.history(db.session, invoice_id)]


def test_approval_before_attestation_is_409_and_changes_nothing(app, client, tokens):
    refused = post(client, tokens, "finance", "approve")
    assert refused.status_code == 409 and refused.is_json
    assert "not attested" in refused.get_json()["errors"][0]["message"]
    with app.app_context():
        invoice = db.session.get(Invoice, tokens["invoice"])
        assert (invoice.status, invoice.number, invoice.approved_at) == ("draft", None, None)
        assert db.session.get(InvoiceApproval, invoice.id) is None
    assert steps_of(app, tokens["invoice"]) == ["invoice.created"]


def test_attest_return_attest_again_approve_gives_one_number_and_every_step_is_history(
    app, client, tokens
):
    attested = post(client, tokens, "procurement", "attest")
    assert attested.status_code == 200, attested.get_json()
    assert attested.get_json()["status"] == "attested" and attested.get_json()["attested_at"]
    assert post(client, tokens, "procurement", "attest").status_code == 409  # twice
    short = post(client, tokens, "finance", "return", reason="forkert")
    assert short.status_code == 422 and short.get_json()["errors"][0]["field"] == "reason"
    reason = "Timerne for DL-9XW3M stemmer ikke med indberetningen"
    returned = post(client, tokens, "finance", "return", reason=reason)
    assert returned.status_code == 200, returned.get_json()
    assert (returned.get_json()["status"], returned.get_json()["return_reason"]) == (
        "returned",
        reason,
    )
    assert post(client, tokens, "finance", "approve").status_code == 409  # returned: not attested
    assert post(client, tokens, "procurement", "attest").status_code == 200
    approved = post(client, tokens, "finance", "approve")
    assert approved.status_code == 200, approved.get_json()
    assert (approved.get_json()["number"], approved.get_json()["return_reason"]) == (
        "2019-000001",
        None,
    )
    assert post(client, tokens, "finance", "approve").status_code == 409  # twice
    assert post(client, tokens, "finance", "return", reason=reason).status_code == 409
    assert steps_of(app, tokens["invoice"]) == [
        "invoice.created",
        "invoice.attested",
        "invoice.returned",
        "invoice.attested",
        "invoice.approved",
    ]
    with app.app_context():
        returned_event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "invoice.returned")
        )
        assert returned_event.details["reason"] == reason
        assert returned_event.actor_label == "okonomi@example.dk"
        assert db.session.scalar(sa.select(sa.func.max(Invoice.number_seq))) == 1


def test_a_credit_note_takes_the_same_path_and_the_next_number(app, client, tokens):
    assert post(client, tokens, "procurement", "attest").status_code == 200
    assert post(client, tokens, "finance", "approve").get_json()["number"] == "2019-000001"
    with app.app_context():
        note, _new = corrected_invoice(db.session, db.session.get(Invoice, tokens["invoice"]))
        db.session.commit()
        note_id = note.id
    assert post(client, tokens, "finance", "approve", note_id).status_code == 409
    assert steps_of(app, tokens["invoice"])[-1] == "invoice.credited"
    assert post(client, tokens, "procurement", "attest", note_id).status_code == 200
    reason = "Kreditnotaen skal vente på den nye faktura"
    assert post(client, tokens, "finance", "return", note_id, reason=reason).status_code == 200
    assert post(client, tokens, "procurement", "attest", note_id).status_code == 200
    approved = post(client, tokens, "finance", "approve", note_id)
    assert (approved.get_json()["kind"], approved.get_json()["number"]) == (
        "credit_note",
        "2019-000002",
    )
    assert steps_of(app, note_id) == [
        "invoice.attested",
        "invoice.returned",
        "invoice.attested",
        "invoice.approved",
    ]


def test_the_list_finds_invoices_by_where_they_stand(client, tokens):
    def listed(query: str) -> list[int]:
        answer = client.get(f"/api/v1/invoices?{query}", headers=tokens["procurement"])
        assert answer.status_code == 200, answer.get_json()
        return [item["id"] for item in answer.get_json()["items"]]

    assert listed("status=awaiting_attestation") == [tokens["invoice"]]
    assert post(client, tokens, "procurement", "attest").status_code == 200
    assert listed("status=awaiting_attestation") == [] and listed("status=attested") == [
        tokens["invoice"]
    ]
    refused = client.get("/api/v1/invoices?status=paid", headers=tokens["procurement"])
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "status"


def test_each_role_takes_only_its_own_step(app, client, tokens):
    assert post(client, tokens, "provider", "attest").status_code == 403
    assert post(client, tokens, "finance", "attest").status_code == 403
    assert post(client, tokens, "procurement", "attest").status_code == 200
    assert post(client, tokens, "procurement", "approve").status_code == 403
    assert post(client, tokens, "provider", "approve").status_code == 403
    assert post(client, tokens, "procurement", "return", reason="x" * 20).status_code == 403
    with app.app_context():
        assert db.session.get(Invoice, tokens["invoice"]).status == "attested"


def test_the_one_who_attested_may_not_approve_even_as_finance(app, make_user):
    with app.app_context():
        invoice = sample_invoice(db.session)
        user = make_user(db.session, "begge@example.dk", "procurement")
        actor = Actor(user.email, user.id)
        invoice_steps.attest(db.session, actor, Viewer(user.id, "procurement"), invoice.id, at(DAY))
        db.session.get(User, user.id).role = "finance"  # moved to finance since
        with pytest.raises(DomainError) as refused:
            approval.approve(
                db.session, actor, Viewer(user.id, "finance"), invoice.id, at(DAY), BUYER
            )
        assert refused.value.status == 403 and "another person" in refused.value.message
        assert invoice.number is None


def test_a_provider_issued_invoice_is_issued_by_its_provider_before_attestation(
    app, client, tokens, make_token
):
    with app.app_context():
        invoice = db.session.get(Invoice, tokens["invoice"])
        db.session.get(Contract, invoice.contract_id).invoicing = "provider_issued"
        from contracts.models import Provider

        other = Provider(name="Anden ApS", cvr="29403473")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    stranger = {"stranger": bearer(make_token(app, "anden@example.dk", "provider", other_id))}
    refused = post(client, tokens, "procurement", "attest")
    assert refused.status_code == 409
    assert "has not issued" in refused.get_json()["errors"][0]["message"]
    hidden = post(client, {**tokens, **stranger}, "stranger", "issue")
    assert hidden.status_code == 404 and hidden.is_json
    assert post(client, tokens, "procurement", "issue").status_code == 403
    issued = post(client, tokens, "provider", "issue")
    assert issued.status_code == 200, issued.get_json()
    assert (issued.get_json()["status"], issued.get_json()["invoicing"]) == (
        "issued",
        "provider_issued",
    )
    assert post(client, tokens, "provider", "issue").status_code == 409  # twice
    assert post(client, tokens, "procurement", "attest").status_code == 200
    assert post(client, tokens, "finance", "approve").get_json()["number"] == "2019-000001"
    assert steps_of(app, tokens["invoice"]) == [
        "invoice.created",
        "invoice.issued",
        "invoice.attested",
        "invoice.approved",
    ]
    with app.app_context():
        issued_event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "invoice.issued")
        )
        assert issued_event.actor_label == "leverandor@example.dk"


def test_a_self_billed_invoice_is_not_the_providers_to_issue(app, client, tokens):
    refused = post(client, tokens, "provider", "issue")
    assert (
        refused.status_code == 409 and "self-billed" in refused.get_json()["errors"][0]["message"]
    )
    with app.app_context():
        assert db.session.get(Invoice, tokens["invoice"]).status == "draft"


def test_numbers_run_per_provider(app, client, make_token):
    contract_ids = accepted_sample_month(app, contracts=2)
    with app.app_context():
        ids = [
            invoicing.invoice_contract_month(db.session, contract_id, "2019-01").id
            for contract_id in contract_ids
        ]
        db.session.commit()
    tokens = {
        "procurement": bearer(make_token(app, "indkob@example.dk", "procurement")),
        "finance": bearer(make_token(app, "okonomi@example.dk", "finance")),
    }
    numbers = []
    for invoice_id in ids:
        assert post(client, tokens, "procurement", "attest", invoice_id).status_code == 200
        numbers.append(post(client, tokens, "finance", "approve", invoice_id).get_json()["number"])
    # One provider's number tells nothing of how many invoices the other got.
    assert numbers == ["2019-000001", "2019-000001"]


def test_the_openapi_document_lists_the_steps(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for step in ("attest", "approve", "return", "issue"):
        assert "409" in paths[f"/api/v1/invoices/{{invoice_id}}/{step}"]["post"]["responses"], step


@pytest.mark.postgres
def test_every_step_locks_and_takes_its_turn_on_both_databases(any_app, make_user):
    """The whole way of a provider-issued invoice through the services, each step locking the
    row (`FOR UPDATE` on PostgreSQL, through the provider's scope too), on SQLite and PostgreSQL."""
    with any_app.app_context():
        invoice = sample_invoice(db.session)
        invoice.contract.invoicing = "provider_issued"
        provider_id = invoice.contract.provider_id
        people = {
            role: make_user(
                db.session, f"{role}@example.dk", role, provider_id if role == "provider" else None
            )
            for role in ("provider", "procurement", "finance")
        }
        db.session.commit()

        def who(role):
            user = people[role]
            return Actor(user.email, user.id), Viewer(user.id, role, user.provider_id)

        invoice_steps.issue(db.session, *who("provider"), invoice.id, at(DAY))
        invoice_steps.attest(db.session, *who("procurement"), invoice.id, at(DAY))
        db.session.commit()
        invoice_steps.return_invoice(
            db.session, *who("finance"), invoice.id, "Forkert antal timer i december", at(DAY)
        )
        db.session.commit()
        invoice_steps.attest(db.session, *who("procurement"), invoice.id, at(DAY))
        approved = approval.approve(db.session, *who("finance"), invoice.id, at(DAY), BUYER)
        db.session.commit()
        assert (approved.status, approved.number, approved.return_reason) == (
            "approved",
            "2019-000001",
            None,
        )
        assert db.session.get(InvoiceApproval, invoice.id).issued["contract"]["invoicing"] == (
            "provider_issued"
        )
        assert [e.action for e in invoice_steps.history(db.session, invoice.id)] == [
            "invoice.created",
            "invoice.issued",
            "invoice.attested",
            "invoice.returned",
            "invoice.attested",
            "invoice.approved",
        ]


def test_two_attestations_at_once_on_postgresql_take_turns(pg_app, make_user):
    """Two procurement officers attest the same invoice at the same moment: the row lock makes
    the second wait and then meet an attested invoice (409), so the step is recorded once."""
    import threading

    with pg_app.app_context():
        invoice_id = sample_invoice(db.session).id
        users = [make_user(db.session, f"indkob{n}@example.dk", "procurement") for n in (1, 2)]
        people = [(Actor(u.email, u.id), Viewer(u.id, "procurement")) for u in users]
        db.session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attest(actor, viewer) -> None:
        with pg_app.app_context():
            barrier.wait(10)
            try:
                outcomes.append(
                    invoice_steps.attest(db.session, actor, viewer, invoice_id, at(DAY)).status
                )
                db.session.commit()
            except DomainError as refused:
                db.session.rollback()
                outcomes.append(f"refused {refused.status}")
            db.session.remove()

    threads = [threading.Thread(target=attest, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["attested", "refused 409"]
    assert steps_of(pg_app, invoice_id) == ["invoice.created", "invoice.attested"]
