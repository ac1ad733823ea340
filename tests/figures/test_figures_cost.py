"""The figures as of a day cost a fixed number of SQL statements, however many contracts, citizens
and exits the scope holds: one statement per figure set (DESIGN.md §7's set-based counting)."""

from __future__ import annotations

from datetime import date

from provider_portal.extensions import db
from tests.api.sql_statements import statements
from tests.factories import make_contract
from tests.figures.conftest import SAMPLE_REFS
from tests.scenarios import sample_scenario

MORE_PROVIDERS = [("10150817", "C"), ("25313763", "D"), ("30060946", "E"), ("64942212", "F")]


def _costs(world) -> dict[str, tuple[int, dict]]:
    """For each scope, the statements its call sends and the figures it answers."""
    asked = {
        "all": ("procurement", {}),
        "programme": ("procurement", {"scope": "programme", "id": world.programme_id}),
        "provider": ("provider", {"scope": "provider", "id": world.provider_id}),
        "contract": ("provider", {"scope": "contract", "id": world.contract_id}),
    }
    costs = {}
    for name, (who, params) in asked.items():
        world.figures(who, **params)  # the token's first use of the minute is not the call's cost
        with statements(world.app) as sent:
            answer = world.figures(who, **params)
        reading_enrolments = [s for s in sent if "FROM enrolment" in s]
        assert len(reading_enrolments) == 1, f"{name}: {reading_enrolments}"
        costs[name] = (len(sent), answer)
    return costs


def test_the_statements_do_not_grow_with_contracts_citizens_or_exits(world):
    few = _costs(world)

    # Four more providers with contracts, three more contracts of provider A, and exits.
    with world.app.app_context():
        for cvr, letter in MORE_PROVIDERS:
            sample_scenario(
                db.session,
                provider_name=f"Leverandør {letter}",
                cvr=cvr,
                refs=[f"DL-{letter}{n}{ref[5:]}" for n, ref in enumerate(SAMPLE_REFS[:4])],
                reference=f"SÆR-{letter}",
            )
        own = [make_contract(db.session, world.provider_id, f"SÆR-A{n}").id for n in range(3)]
        db.session.commit()
    for n, contract_id in enumerate(own):
        for m in range(3):
            world.enrol(f"DL-A{n}{m}XYZ", contract_id, date(2019, 1, 2))
    world.exit_confirmed(SAMPLE_REFS[0], "2019-01-15", "job")
    world.exit_confirmed(SAMPLE_REFS[1], "2019-01-16", "other")

    many = _costs(world)
    for scope in few:
        assert many[scope][1] != few[scope][1], f"{scope}: the data did not grow"
        assert many[scope][0] == few[scope][0], f"{scope}: {few[scope][0]} → {many[scope][0]}"
