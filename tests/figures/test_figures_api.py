"""GET /api/v1/figures: the figures as of a day, from enrolments and confirmed exits (DESIGN.md §3,
§8), around an exit, a transfer and a referral that starts later; who may see which scope."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Enrolment
from contracts.rules.exits import END_REASONS, WITHDRAWN
from provider_portal.extensions import db
from tests.factories import make_contract
from tests.figures.conftest import B_REFS, SAMPLE_REFS, figures_of

# Provider A's seven citizens and provider B's two, all enrolled since 1 October 2018.
EVERYONE = figures_of(9, 9)


def test_an_exit_confirmed_on_the_15th_counts_on_the_15th_and_16th_not_the_14th(world):
    # Before procurement decides, the notice changes nothing.
    client = world.app.test_client()
    sent = client.post(
        f"/api/v1/contracts/{world.contract_id}/notices",
        json={
            "participant_ref": SAMPLE_REFS[0],
            "kind": "exit",
            "date": "2019-01-15",
            "reason": "benefit_stopped",
        },
        headers=world.headers("provider"),
    )
    assert sent.status_code == 201
    assert world.figures(scope="contract", id=world.contract_id, on="2019-01-16") == figures_of(
        7, 7
    )

    confirmed = client.post(
        f"/api/v1/notices/{sent.get_json()['id']}/confirm",
        json={},
        headers=world.headers("procurement"),
    )
    assert confirmed.status_code == 200

    contract = {"scope": "contract", "id": world.contract_id}
    assert world.figures(**contract, on="2019-01-14") == figures_of(7, 7)
    assert world.figures(**contract, on="2019-01-15") == figures_of(7, 6, benefit_stopped=1)
    assert world.figures(**contract, on="2019-01-16") == figures_of(7, 6, benefit_stopped=1)
    # The whole effort, the programme and the provider's own view say the same.
    assert world.figures(on="2019-01-16") == figures_of(9, 8, benefit_stopped=1)
    assert world.figures(scope="programme", id=world.programme_id, on="2019-01-16") == figures_of(
        9, 8, benefit_stopped=1
    )
    assert world.figures(
        "provider", scope="provider", id=world.provider_id, on="2019-01-16"
    ) == figures_of(7, 6, benefit_stopped=1)
    # Today (the test clock's 24 January) too, when the day is left out.
    answer = world.call("finance").get_json()
    assert (answer["on"], answer["scope"], answer["id"]) == ("2019-01-24", "all", None)
    assert answer["active"] == 8 and answer["benefit_stopped"] == 1


def test_exits_fall_in_their_categories(world):
    world.exit_confirmed(SAMPLE_REFS[0], "2019-01-07", "job")
    world.exit_confirmed(SAMPLE_REFS[1], "2019-01-08", "education")
    world.exit_confirmed(SAMPLE_REFS[2], "2019-01-09", "benefit_stopped")
    world.exit_confirmed(SAMPLE_REFS[3], "2019-01-10", "moved")
    world.exit_confirmed(B_REFS[0], "2019-01-10", "imprisonment", world.b_contract_id)
    assert world.figures(on="2019-01-10") == figures_of(
        9, 4, positive=2, benefit_stopped=1, other=2
    )
    assert world.figures(on="2019-01-08") == figures_of(9, 7, positive=2)


def _successor_with_a_transfer(world, ref: str, last_day: date) -> int:
    """A successor of A's contract from the day after `last_day`, to which `ref` moved as the
    changeover moves a citizen: the old enrolment ends that day as transferred, a new one starts."""
    with world.app.app_context():
        old = db.session.get(Contract, world.contract_id)
        old.end_on = old.max_end_on = last_day
        successor = make_contract(
            db.session,
            old.provider_id,
            reference="SÆR-2019-NY",
            start_on=last_day.replace(day=last_day.day + 1),
            predecessor_id=old.id,
        )
        enrolment = db.session.get(Enrolment, world.enrolment_of(ref))
        enrolment.end_on, enrolment.end_reason = last_day, "transferred"
        db.session.flush()
        db.session.add(
            Enrolment(
                participant_id=enrolment.participant_id,
                contract_id=successor.id,
                start_on=last_day.replace(day=last_day.day + 1),
                age_at_start=enrolment.age_at_start,
                transferred_from_id=enrolment.id,
            )
        )
        db.session.commit()
        return successor.id


def test_a_transfer_is_never_an_exit_and_the_citizen_counts_once(world):
    successor_id = _successor_with_a_transfer(world, SAMPLE_REFS[0], date(2019, 1, 10))
    old = {"scope": "contract", "id": world.contract_id}
    new = {"scope": "contract", "id": successor_id}
    provider = {"scope": "provider", "id": world.provider_id}

    # On the changeover's last day the citizen is still enrolled in the old contract.
    assert world.figures(on="2019-01-10") == EVERYONE
    assert world.figures(**old, on="2019-01-10") == figures_of(7, 7)
    assert world.figures(**new, on="2019-01-10") == figures_of(0, 0)
    # From the next day in the successor: once in the effort and the provider, once in each contract.
    for day in ("2019-01-11", "2019-01-24"):
        assert world.figures(on=day) == EVERYONE
        assert world.figures(scope="programme", id=world.programme_id, on=day) == EVERYONE
        assert world.figures("provider", **provider, on=day) == figures_of(7, 7)
        assert world.figures(**old, on=day) == figures_of(7, 6)
        assert world.figures(**new, on=day) == figures_of(1, 1)


def test_a_referral_starting_next_week_is_neither_participant_nor_active_today(world):
    world.enrol("DL-NEXT7", world.contract_id, date(2019, 1, 31))
    assert world.figures() == EVERYONE
    assert world.figures("provider", scope="contract", id=world.contract_id) == figures_of(7, 7)

    world.app.config["PORTAL_TODAY"] = date(2019, 1, 31)
    assert world.figures() == figures_of(10, 10)
    assert world.figures(on="2019-01-30") == EVERYONE


@pytest.mark.skipif(
    WITHDRAWN not in END_REASONS, reason="an enrolment cannot be ended as withdrawn yet"
)
def test_an_enrolment_registered_by_mistake_counts_for_nothing(world):
    mistaken = world.enrol("DL-OOPS2", world.contract_id, date(2019, 1, 3))
    assert world.figures(on="2019-01-04") == figures_of(10, 10)
    with world.app.app_context():
        db.session.execute(
            sa.update(Enrolment)
            .where(Enrolment.id == mistaken)
            .values(end_on=date(2019, 1, 3), end_reason=WITHDRAWN)
        )
        db.session.commit()
    for day in ("2019-01-03", "2019-01-04", "2019-01-24"):
        assert world.figures(on=day) == EVERYONE


@pytest.mark.parametrize(
    "on", ["2019-01-25", "2019-02-30", "24-01-2019", "2019-1-5", "today", "2019-01-24T10:00"]
)
def test_a_day_after_today_or_not_a_day_is_refused(world, on):
    response = world.call("procurement", on=on)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["on"]


def test_a_provider_sees_the_figures_of_its_own_provider_and_contracts_only(world):
    world.exit_confirmed(B_REFS[0], "2019-01-10", "job", world.b_contract_id)
    own = figures_of(7, 7)
    assert world.figures("provider", scope="provider", id=world.provider_id) == own
    assert world.figures("provider", scope="contract", id=world.contract_id) == own
    # Another provider and its contract are not found, answered as one that does not exist.
    unknown = world.call("provider", scope="contract", id=999999)
    assert unknown.status_code == 404
    for scope, scope_id in (("provider", world.b_provider_id), ("contract", world.b_contract_id)):
        response = world.call("provider", scope=scope, id=scope_id)
        assert response.status_code == 404
        assert response.get_json()["errors"][0]["field"] == "id"
    assert (
        world.call("provider", scope="contract", id=world.b_contract_id).get_json()
        == unknown.get_json()
    )
    # The whole effort and the programmes are the municipality's, as for the scores.
    assert world.call("provider").status_code == 403
    assert world.call("provider", scope="programme", id=world.programme_id).status_code == 403
    # The other provider sees its exit; staff see everyone's.
    assert world.figures("other", scope="provider", id=world.b_provider_id) == figures_of(
        2, 1, positive=1
    )
    assert world.figures("finance") == figures_of(9, 8, positive=1)


def test_admin_sees_no_figures_and_an_unknown_scope_is_refused(world):
    assert world.call("admin").status_code == 403
    assert world.call("procurement", scope="programme", id=999).status_code == 404
    assert world.call("procurement", scope="provider", id=999999).status_code == 404
    missing_id = world.call("procurement", scope="contract")
    assert missing_id.status_code == 422
    assert missing_id.get_json()["errors"][0]["field"] == "id"
    assert world.call("procurement", scope="region").status_code == 422
    assert world.app.test_client().get("/api/v1/figures").status_code == 401
