"""A contract paid by milestones carries them in the OCDS export (`contracts[].milestones`),
valid against OCDS 1.1.5; a contract without them is exported as before."""

from __future__ import annotations

from tests.milestones.story import TERMS, new_story
from tests.procurement.ocds_schema import schema_errors


def _contracts_by_reference(package) -> dict[str, dict]:
    return {
        contract["id"]: contract
        for release in package["releases"]
        for contract in release.get("contracts", [])
    }


def test_the_milestones_are_exported_payment_milestones_and_a_plain_contract_has_none(
    app, validator
):
    story = new_story(app)
    plain = {k: v for k, v in TERMS.items() if k not in ("milestones", "clawback_days")}
    status, milestone_contract = story.call("GET", f"/contracts/{story.contract_id}", "procurement")
    assert status == 200
    status, created = story.call(
        "POST",
        "/contracts",
        "procurement",
        {**plain, "provider_id": milestone_contract["provider"]["id"]},
    )
    assert status == 201, created

    status, package = story.call("GET", "/ocds/releases", "procurement")
    assert status == 200
    assert schema_errors(validator, package) == []
    contracts = _contracts_by_reference(package)

    milestones = contracts[milestone_contract["reference"]]["milestones"]
    assert [(m["id"], m["title"], m["type"], m["code"]) for m in milestones] == [
        ("milestone-start", "Start i job/uddannelse", "payment", "start"),
        ("milestone-week13", "13 uger", "payment", "week13"),
        ("milestone-week26", "26 uger", "payment", "week26"),
    ]
    amounts = [m["description"].split(" pr. ")[0] for m in milestones]
    assert amounts == ["2.000,00 kr.", "5.000,00 kr.", "8.000,00 kr."]
    assert all("inden for 60 dage" in m["description"] for m in milestones)

    # The plain contract's object is what the export always wrote, nothing more.
    assert set(contracts[created["reference"]]) == {
        "id",
        "awardID",
        "title",
        "status",
        "period",
        "value",
        "dateSigned",
    }
