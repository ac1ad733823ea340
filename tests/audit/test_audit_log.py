"""The audit log as administrators read it: filtered, paged and exported by the API and the
admin page; only admins read it, and reading it is itself audited (once a day; every export)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent
from contracts.services.audit import Actor, record, record_read
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login
from tests.pages import PageParts

READ = "participants.viewed"
ALICE = Actor("alice@example.dk", None)
BOB = Actor("bob@example.dk", None)


def _events(app) -> None:
    """Five events by two people over three days in January 2019 (Copenhagen noon)."""
    with app.app_context():
        for day, who, action, record_type, record_id in [
            (7, ALICE, "invoice.attested", "invoice", 11),
            (8, BOB, "invoice.approved", "invoice", 11),
            (8, BOB, "invoice.returned", "invoice", 12),
            (9, ALICE, "report.accepted", "monthly_report", 3),
            (9, ALICE, "invoice.attested", "invoice", 12),
        ]:
            when = datetime(2019, 1, day, 11, 0, tzinfo=UTC)
            record(db.session, who, action, record_type, record_id, occurred_at=when)
        db.session.commit()


def _read(app, token, **query):
    return app.test_client().get("/api/v1/audit", query_string=query, headers=bearer(token))


def _actions(answer) -> list[str]:
    return [item["action"] for item in answer.get_json()["items"]]


def test_an_admin_filters_the_log_by_who_what_which_record_and_when(app, make_token):
    _events(app)
    token = make_token(app, "admin@example.dk", "admin")
    everything = _read(app, token, action="invoice.")
    assert everything.status_code == 200
    # The newest first.
    assert _actions(everything) == [
        "invoice.attested",
        "invoice.returned",
        "invoice.approved",
        "invoice.attested",
    ]
    assert _actions(_read(app, token, actor="bob")) == ["invoice.returned", "invoice.approved"]
    assert _actions(_read(app, token, record_type="invoice", record_id=12)) == [
        "invoice.attested",
        "invoice.returned",
    ]
    one_day = _read(app, token, **{"from": "2019-01-08", "to": "2019-01-08"})
    assert _actions(one_day) == ["invoice.returned", "invoice.approved"]
    paged = _read(app, token, action="invoice.", per_page=3, page=2).get_json()
    assert (paged["page"], paged["pages"], paged["total"]) == (2, 2, 4)
    assert [i["record_id"] for i in paged["items"]] == [11]


def test_a_backwards_period_is_422_and_other_roles_are_refused(app, make_token):
    admin = make_token(app, "admin@example.dk", "admin")
    backwards = _read(app, admin, **{"from": "2019-01-09", "to": "2019-01-08"})
    assert backwards.status_code == 422
    assert "before it begins" in backwards.get_json()["errors"][0]["message"]
    for email, role in [("indkob@example.dk", "procurement"), ("okonomi@example.dk", "finance")]:
        assert _read(app, make_token(app, email, role)).status_code == 403


def test_reading_the_log_is_audited_once_a_day(app, make_token):
    token = make_token(app, "admin@example.dk", "admin")
    for _ in range(3):
        assert _read(app, token).status_code == 200
    with app.app_context():
        reads = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "audit.read")
        ).all()
    assert [(e.actor_label, e.details["subject"]) for e in reads] == [
        ("admin@example.dk", "audit:log")
    ]


@pytest.mark.usefixtures("clean_redis")
def test_a_read_is_folded_per_user_subject_and_day(any_app, make_user):
    with any_app.app_context():
        user = make_user(db.session, "indkob@example.dk", "procurement")
        reader = Actor(user.email, user.id)
        firsts = [
            record_read(db.session, reader, READ, "participants:contract:1", date(2019, 1, 7)),
            record_read(db.session, reader, READ, "participants:contract:1", date(2019, 1, 7)),
            record_read(db.session, reader, READ, "participants:contract:2", date(2019, 1, 7)),
            record_read(db.session, reader, READ, "participants:contract:1", date(2019, 1, 8)),
        ]
        db.session.commit()
        events = db.session.scalars(
            sa.select(AuditEvent.details).where(AuditEvent.action == READ)
        ).all()
    assert firsts == [True, False, True, True]
    assert len(events) == 3


def test_the_page_filters_in_danish_and_exports_what_it_shows(app, client, make_user):
    _events(app)
    with app.app_context():
        make_user(db.session, "admin@example.dk", "admin")
        db.session.commit()
    login(client, "admin@example.dk")
    page = client.get("/admin/audit", query_string={"actor": "bob", "from_date": "08-01-2019"})
    assert page.status_code == 200
    text = PageParts(page.get_data(as_text=True)).text
    assert "Revisionslog" in text and "2 hændelser" in text
    assert "invoice.returned" in text and "invoice.attested" not in text
    assert "08-01-2019 12:00" in text  # Copenhagen time
    bad = client.get("/admin/audit", query_string={"from_date": "31-02-2019"})
    assert bad.status_code == 400 and "er ikke en dato" in bad.get_data(as_text=True)
    export = client.get("/admin/audit.csv", query_string={"actor": "bob"})
    assert export.status_code == 200
    data = export.get_data().decode("utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data[1:]), delimiter=";"))
    assert rows[0][:3] == ["Tidspunkt", "Bruger", "Handling"]
    assert [r[2] for r in rows[1:]] == ["invoice.returned", "invoice.approved"]
    with app.app_context():
        exported = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "audit.exported")
        )
    assert exported.actor_label == "admin@example.dk" and exported.details["rows"] == 2


def test_only_admins_reach_the_page(app, client, make_user):
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    login(client, "indkob@example.dk")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
