"""What the notice tests share: API calls as a provider's system or procurement makes them, and
what the database then holds."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from contracts.models import AuditEvent, Enrolment, Notice, Participant
from provider_portal.extensions import db


def send_notice(world, who: str = "provider", contract_id: int | None = None, **body):
    """POST /api/v1/contracts/<id>/notices as `who` (A's contract unless told otherwise)."""
    contract_id = world.contract_id if contract_id is None else contract_id
    return world.app.test_client().post(
        f"/api/v1/contracts/{contract_id}/notices", json=body, headers=world.headers(who)
    )


def exit_notice(world, ref: str, day: str, reason: str = "job", who: str = "provider"):
    """An exit notice sent and received (201); its JSON answer. The other provider's is sent on
    its own contract."""
    contract_id = world.b_contract_id if who == "other" else world.contract_id
    response = send_notice(
        world, who, contract_id, participant_ref=ref, kind="exit", date=day, reason=reason
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def decide(world, notice_id: int, action: str, who: str = "procurement", **body):
    """POST /api/v1/notices/<id>/confirm or /reject as `who`."""
    return world.app.test_client().post(
        f"/api/v1/notices/{notice_id}/{action}", json=body, headers=world.headers(who)
    )


def get(world, url: str, who: str = "provider"):
    return world.app.test_client().get(url, headers=world.headers(who))


def enrolment_end(app, ref: str) -> tuple[date | None, str | None]:
    """The participant's (only) enrolment's end day and reason, as stored."""
    with app.app_context():
        row = db.session.execute(
            sa.select(Enrolment.end_on, Enrolment.end_reason)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .where(Participant.ref == ref)
        ).one()
        return row.end_on, row.end_reason


def notice_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Notice.id)))


def audit_actions(app, record_id: int) -> list[str]:
    """The audit log's actions on one notice, oldest first."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.record_type == "notice", AuditEvent.record_id == record_id)
                .order_by(AuditEvent.id)
            )
        )
