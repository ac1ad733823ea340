"""Two requests recording the same notice at the same moment: the database's unique indexes
decide, and the second is refused (409) with nothing more stored, never a server error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract
from contracts.services import DomainError, notices
from contracts.services.audit import Actor
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.notices.calls import notice_count


@pytest.mark.parametrize(
    "kind, extra",
    [("exit", {"reason": "job"}), ("absence", {"hours": Decimal("2")})],
)
def test_the_second_of_two_simultaneous_notices_is_a_conflict(world, monkeypatch, kind, extra):
    with world.app.app_context():
        provider_id = db.session.get(Contract, world.contract_id).provider_id
        viewer = Viewer(world.user_ids["provider"], "provider", provider_id)
        actor = Actor("provider@example.dk", world.user_ids["provider"])

        def send():
            return notices.record(
                db.session,
                actor,
                viewer,
                world.contract_id,
                participant_ref="DL-4Q7K2",
                kind=kind,
                on=date(2019, 1, 15),
                today=date(2019, 1, 24),
                **extra,
            )

        send()
        # The second request checked before the first was stored: it saw no notice.
        monkeypatch.setattr(notices, "_exit_conflict", lambda *args: None)
        monkeypatch.setattr(notices, "_absence_conflict", lambda *args: None)
        with pytest.raises(DomainError) as refused:
            send()
        assert refused.value.status == 409
        db.session.commit()
    assert notice_count(world.app) == 1
