"""The sustained shares (DESIGN.md §7, §15): of a milestone contract's positive exits old enough
at the period's end, how many verifiably lasted 13 and 26 weeks, with 95 % Wilson intervals.

One contract paying week13 and week26, five citizens leaving for a job or education:

    P1 job 15 Jan  week13 claimed 17 Apr, no check: counts on the provider's word; week26 too
    P2 job 20 Jan  week13 claimed 22 Apr, checked and verified: counts
    P6 job 25 Jan  week13 claimed 27 Apr, no check, then a relapse on 20 Apr: never reached
    P3 edu 31 Jan  week13 claimed 3 May, checked and rejected: never counts
    P5 job 28 Feb  week13 claimed 3 Jun, waiting for its check: counts once verified

Old enough for week13 at a month's end: exit on or before the end − 91 days (March: none;
April: 29 Jan, so P1, P2, P6; May: 1 Mar, all five). For week26 at the end of August: 2 Mar,
all five. The figures are counted when read, so a claim verified after the aggregation counts.
"""

from __future__ import annotations

import html
from datetime import date

import pytest

from contracts.models import Contract
from contracts.rules.scoring import wilson_interval
from contracts.services.scoring import compute_month
from provider_portal.extensions import db
from tests.conftest import login
from tests.factories import logged_in_client
from tests.milestones.story import line, new_story, report_month
from tests.scenarios import scored_sample_month

EXITS = {
    "P1": ("2019-01-15", "job"),
    "P2": ("2019-01-20", "job"),
    "P3": ("2019-01-31", "education"),
    "P4": ("2019-01-10", "benefit_stopped"),
    "P6": ("2019-01-25", "job"),
}


def _story(app):
    story = new_story(app)
    report_month(
        story,
        "2019-01",
        [
            line(ref, *EXITS[name]) if name in EXITS else line(ref)
            for name, ref in story.refs.items()
        ],
        date(2019, 2, 1),
    )
    report_month(
        story,
        "2019-02",
        [line(story.refs["P5"], "2019-02-28"), line(story.refs["P7"])],
        date(2019, 3, 1),
    )

    def claim(day: date, share: str, name: str, code: str, started_on: str) -> int:
        story.on(day)
        app.config["CLAIM_CHECK_SHARE"] = share
        status, body = story.claim(name, code, started_on)
        assert status == 201, body
        return body["id"]

    claim(date(2019, 4, 17), "0", "P1", "week13", "2019-01-16")
    verified = claim(date(2019, 4, 22), "1", "P2", "week13", "2019-01-21")
    assert story.call("POST", f"/claims/{verified}/verify", "procurement")[0] == 200
    claim(date(2019, 4, 27), "0", "P6", "week13", "2019-01-26")
    rejected = claim(date(2019, 5, 3), "1", "P3", "week13", "2019-02-01")
    body = {"reason": "The employer knows nothing of it"}
    assert story.call("POST", f"/claims/{rejected}/reject", "procurement", body)[0] == 200
    story.on(date(2019, 5, 2))
    assert story.relapse("P6", "2019-04-20")[0] == 201
    story.waiting = claim(date(2019, 6, 3), "1", "P5", "week13", "2019-03-01")
    claim(date(2019, 7, 17), "0", "P1", "week26", "2019-01-16")
    story.on(date(2019, 9, 2))
    with app.app_context():
        for month in ("2019-02", "2019-03", "2019-04", "2019-05", "2019-08"):
            compute_month(db.session, month)
        db.session.commit()
    return story


def _scores(story, month: str, cumulative="true", scope="contract", scope_id=None) -> dict:
    query = f"scope={scope}&month={month}&cumulative={cumulative}"
    if scope != "all":
        query += f"&id={scope_id or story.contract_id}"
    status, body = story.call("GET", f"/scores?{query}", "procurement")
    assert status == 200, body
    return body


def _ci(lasted: int, old: int) -> list[float]:
    low, high = wilson_interval(lasted, old)
    return [round(low, 4), round(high, 4)]


def test_the_shares_count_verified_and_unchecked_claims_of_exits_old_enough(any_app):
    story = _story(any_app)
    march = _scores(story, "2019-03")
    assert march["sustained_13"] is None and march["sustained_13_ci"] is None  # too early
    april = _scores(story, "2019-04")
    assert (april["sustained_13"], april["sustained_13_ci"]) == ("0.6667", _ci(2, 3))
    may = _scores(story, "2019-05", scope="all")
    assert (may["sustained_13"], may["sustained_13_ci"]) == ("0.4000", _ci(2, 5))
    assert may["sustained_26"] is None  # nobody 182 days gone by the end of May
    august = _scores(story, "2019-08")
    assert (august["sustained_26"], august["sustained_26_ci"]) == ("0.2000", _ci(1, 5))
    assert august["sustained_13"] == "0.4000"
    # A month alone never has an exit 13 weeks old by its end: no share there.
    assert _scores(story, "2019-02", cumulative="false")["sustained_13"] is None

    # The figures as of a day judge the exits old enough on that day, in the same way.
    url = f"/figures?scope=contract&id={story.contract_id}&on="
    status, on_may_31 = story.call("GET", url + "2019-05-31", "procurement")
    assert status == 200, on_may_31
    assert (on_may_31["sustained_13"], on_may_31["sustained_26"]) == ("0.4000", None)
    on_aug_31 = story.call("GET", url + "2019-08-31", "procurement")[1]
    assert (on_aug_31["sustained_26"], on_aug_31["sustained_26_ci"]) == ("0.2000", _ci(1, 5))

    # Verified after the aggregation, P5's claim counts at once, in every month that can tell.
    assert story.call("POST", f"/claims/{story.waiting}/verify", "procurement")[0] == 200
    assert _scores(story, "2019-08")["sustained_13"] == "0.6000"
    with story.app.app_context():
        provider_id = db.session.get(Contract, story.contract_id).provider_id
    assert _scores(story, "2019-05", "true", "provider", provider_id)["sustained_13"] == "0.6000"
    assert _scores(story, "2019-04")["sustained_13"] == "0.6667"  # P5 not old enough in April


def _page(app, url: str) -> str:
    client = app.test_client()
    assert login(client, "procurement@example.dk").status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def test_the_score_pages_show_the_shares_where_a_contract_pays_milestones(app):
    story = _story(app)
    shown = _page(app, "/scores/?month=2019-05&view=cumulative")
    assert "Varig 13 uger" in shown and "Varig 26 uger" in shown
    assert 'data-figure="sustained_13">40,0 %' in shown
    assert 'data-figure="sustained_26"><span class="too-few too-early">for tidligt</span>' in shown
    # The month alone has no shares, so no columns for them.
    assert "Varig 13 uger" not in _page(app, "/scores/?month=2019-05&view=monthly")
    detail = _page(app, f"/scores/contract/{story.contract_id}?view=cumulative")
    assert "Varig 13 uger" in detail and "sustained.svg" in detail
    client = app.test_client()
    login(client, "procurement@example.dk")
    chart = client.get(f"/scores/contract/{story.contract_id}/sustained.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert "Varig 13 uger" in chart.get_data(as_text=True)


@pytest.mark.usefixtures("january_ended")
@pytest.mark.parametrize("view", ["cumulative", "monthly"])
def test_scores_of_contracts_without_milestones_show_nothing_new(app, view):
    [contract_id] = scored_sample_month(app)
    client = logged_in_client(app, "staff@example.dk", "procurement")
    for url in (f"/scores/?view={view}", f"/scores/contract/{contract_id}?view={view}"):
        shown = " ".join(html.unescape(client.get(url).get_data(as_text=True)).split())
        assert "Resultatrate" in shown and "Varig 13 uger" not in shown
        assert "sustained.svg" not in shown
    assert client.get(f"/scores/contract/{contract_id}/sustained.svg").status_code == 404
