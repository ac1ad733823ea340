"""The milestone pages (DESIGN.md §15): the provider claims with evidence and records a relapse,
procurement checks the claims (verify, or reject with a reason) and records a relapse too; each
in Danish, with a refusal shown beside its field and nothing stored."""

from __future__ import annotations

import html
from datetime import date

import sqlalchemy as sa

from contracts.models import MilestoneClaim, Relapse
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.milestones.story import january_exits, new_story


def _client(app, who: str):
    client = app.test_client()
    assert login(client, f"{who}@example.dk").status_code == 302
    return client


def _text(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def _post(client, page: str, url: str, data: dict):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_provider_claims_on_the_page_and_a_claim_too_early_is_refused_in_danish(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "1"
    story.on(date(2019, 4, 16))
    provider = _client(app, "provider")
    page = f"/provider/contracts/{story.contract_id}/milestones"
    assert f'href="{page}">Milepæle og tilbagefald</a>' in _text(provider.get("/provider/"))
    shown = _text(provider.get(page))
    assert "Kræv en milepæl" in shown and story.refs["P1"] in shown
    claim = {
        "participant_ref": story.refs["P1"],
        "milestone": "week13",
        "employer_cvr": "10403782",
        "started_on": "16-01-2019",
        "weekly_hours": "37,5",
    }
    refused = _post(provider, page, page + "/claims", claim)
    assert refused.status_code == 422
    assert "milepælen week13 nås den 17-04-2019" in _text(refused)
    story.on(date(2019, 4, 17))
    assert _post(provider, page, page + "/claims", claim).status_code == 302
    shown = _text(provider.get(page))
    assert "Venter på indkøbs kontrol" in shown and "37,50 timer om ugen" in shown
    with app.app_context():
        assert db.session.scalar(sa.select(MilestoneClaim.weekly_hours)) == 37.5
    assert _client(app, "other").get(page).status_code == 404


def test_procurement_verifies_and_rejects_claims_and_records_a_relapse(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "1"
    story.on(date(2019, 5, 10))
    first = story.claim("P1", "week13", "2019-01-16")[1]
    second = story.claim("P3", "week13", "2019-02-01", employer_cvr=None, institution="KEA")[1]
    staff = _client(app, "procurement")
    shown = _text(staff.get("/procurement/claims"))
    assert "Milepælskrav" in shown and story.refs["P1"] in shown and "KEA" in shown
    assert (
        _post(
            staff, "/procurement/claims", f"/procurement/claims/{first['id']}/verify", {}
        ).status_code
        == 302
    )
    no_reason = _post(
        staff, "/procurement/claims", f"/procurement/claims/{second['id']}/reject", {"reason": ""}
    )
    assert no_reason.status_code == 422 and "Skriv hvorfor kravet afvises" in _text(no_reason)
    rejected = _post(
        staff,
        "/procurement/claims",
        f"/procurement/claims/{second['id']}/reject",
        {"reason": "Ingen indskrivning."},
    )
    assert rejected.status_code == 302
    with app.app_context():
        states = dict(db.session.execute(sa.select(MilestoneClaim.id, MilestoneClaim.status)).all())
    assert states == {first["id"]: "verified", second["id"]: "rejected"}
    relapse = {
        "contract_id": str(story.contract_id),
        "participant_ref": story.refs["P1"],
        "date": "01-05-2019",
    }
    assert (
        _post(staff, "/procurement/claims", "/procurement/claims/relapses", relapse).status_code
        == 302
    )
    again = _post(staff, "/procurement/claims", "/procurement/claims/relapses", relapse)
    assert again.status_code == 422 and "allerede registreret" in _text(again)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Relapse)) == 1


def test_the_provider_is_offered_only_the_milestones_its_contract_pays(app):
    from contracts.models import Contract, ContractMilestone

    story = new_story(app)
    january_exits(story)
    provider = _client(app, "provider")
    page = f"/provider/contracts/{story.contract_id}/milestones"
    with app.app_context():
        db.session.execute(
            sa.delete(ContractMilestone).where(
                ContractMilestone.contract_id == story.contract_id,
                ContractMilestone.code == "week13",
            )
        )
        db.session.commit()
    shown = provider.get(page).get_data(as_text=True)
    assert 'value="week26"' in shown and 'value="week13"' not in shown
    # A contract paid by its outcome bonus alone, taking nothing back: nothing to claim or record.
    with app.app_context():
        db.session.execute(
            sa.delete(ContractMilestone).where(ContractMilestone.contract_id == story.contract_id)
        )
        db.session.get(Contract, story.contract_id).clawback_days = None
        db.session.commit()
    shown = provider.get(page)
    assert shown.status_code == 200
    assert "betales alene med sin resultatbonus" in _text(shown)
    assert "/claims" not in shown.get_data(as_text=True)
    assert "/relapses" not in shown.get_data(as_text=True)
