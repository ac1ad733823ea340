"""The score pages show what the stored figures say, Danish-formatted, to the roles that may see it.

A provider sees only its own provider and contracts; the administrator sees no scores at all.
The trend chart is an SVG image drawn from the same figures.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.documents.charts import Series, trend_chart
from contracts.models import Contract, Provider
from contracts.rules.periods import months_between
from contracts.services import score_tables, scoring
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from tests.factories import logged_in_client
from tests.jobs.workers import start_worker, stop_worker, wait_until_done
from tests.pages import PageParts, ScoreTable
from tests.scenarios import accepted_sample_month, counted_from_reports, scored_sample_month

SVG = "{http://www.w3.org/2000/svg}"
# The demo's months that have ended by its day, as the aggregation scores them.
DEMO_MONTHS = months_between("2018-03", "2018-12")


@pytest.mark.usefixtures("january_ended")
def test_the_page_shows_the_sample_figures_that_a_real_worker_wrote(app):
    [contract_id] = accepted_sample_month(app)
    worker = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "aggregation")
    try:
        with app.app_context():
            answer = wait_until_done(aggregation.start("2019-01", started_by=None))
        assert answer["status"] == "finished", answer
    finally:
        stop_worker(worker)
    client = logged_in_client(app, "indkoeb@example.dk", "procurement")

    page = client.get("/scores/?month=2019-01&view=monthly")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    row = ScoreTable(html).rows["SÆR-0 Leverandør 0"]
    assert row == {
        "participants": "7",
        "active_end": "3",
        "exits": "4",
        "positive": "2",
        "benefit_stopped": "1",
        "other": "1",
        "outcome_rate": "50,0 % 15,0 %–85,0 %",
        "placement_rate": "28,6 %",
        "delivery_rate": "84,6 %",
        "absence_rate": "13,2 %",
        "score": "for få afgange til en score",
    }
    # ... which is exactly what the scoring service says, for every scope on the page.
    with app.app_context():
        figures = score_tables.figures(db.session, "contract", contract_id, "2019-01", False)
    assert (figures.participants, figures.active_end, figures.exits) == (7, 3, 4)
    assert figures.outcome_rate == Decimal("0.5") and figures.score is None
    assert round(figures.delivery_rate * 1000) == 846 and round(figures.absence_rate * 1000) == 132
    ci = figures.outcome_rate_ci
    assert (
        f"{ci[0] * 100:.1f}".replace(".", ",") == "15,0"
        and f"{ci[1] * 100:.1f}".replace(".", ",") == "85,0"
    )
    rows = ScoreTable(html).rows
    assert rows["Alle indsatser"]["participants"] == "7"
    assert rows["Leverandør 0"]["exits"] == "4"
    assert "DL-4Q7K2" not in html  # aggregates only: no participant reference


def test_demo_cumulative_figures_and_an_empty_rate_shows_a_dash(demo_app, client_as):
    with demo_app.app_context():
        for month in DEMO_MONTHS:
            scoring.compute_month(db.session, month)
        db.session.commit()
        contract_id = db.session.scalar(
            sa.select(Contract.id).where(Contract.reference == "SÆR-2018-01")
        )
    client = client_as("finance")

    whole = ScoreTable(client.get("/scores/").get_data(as_text=True)).rows["Alle indsatser"]
    detail = client.get(f"/scores/contract/{contract_id}?view=cumulative").get_data(as_text=True)

    # The default is the newest scored month, cumulated: what the accepted reports up to
    # December 2018 say (January 2019 has not ended on the demo's day).
    with demo_app.app_context():
        expected = counted_from_reports(db.session, "2018-12")
    assert [
        whole[k]
        for k in ("participants", "active_end", "exits", "positive", "benefit_stopped", "other")
    ] == [str(n) for n in expected]
    positive_share = Decimal(100 * expected[3]) / expected[2]
    assert whole["outcome_rate"].startswith(f"{positive_share:.1f} %".replace(".", ","))
    # Before its first exit the contract has no outcome rate: a dash, never 0 %.
    september = ScoreTable(detail).rows["september 2018"]
    assert september["exits"] == "0" and september["outcome_rate"] == "–"
    assert september["score"] == "for få afgange til en score"
    assert f'src="/scores/contract/{contract_id}/trend.svg"' in detail


def test_the_trend_chart_is_svg_with_the_months_of_the_data(demo_app, client_as):
    with demo_app.app_context():
        for month in DEMO_MONTHS:
            scoring.compute_month(db.session, month)
        db.session.commit()
        provider_id = db.session.scalar(
            sa.select(Provider.id).where(Provider.name == "Nyt Fodfæste A/S")
        )
    client = client_as("procurement")

    first = client.get(f"/scores/provider/{provider_id}/trend.svg")
    again = client.get(f"/scores/provider/{provider_id}/trend.svg")

    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    root = ET.fromstring(first.get_data())
    assert root.tag == f"{SVG}svg"
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    assert texts.count("mar. 2018") == 1 and texts.count("dec. 2018") == 1
    assert len([t for t in texts if t.endswith(("2018", "2019"))]) == len(DEMO_MONTHS)
    assert "Resultatrate (akkumuleret)" in texts
    assert first.get_data() == again.get_data()  # deterministic: no date, fixed ids


def test_charts_draw_gaps_for_empty_rates_and_refuse_mismatched_data():
    svg = trend_chart(["2019-01", "2019-02"], [Series("Rate", [None, Decimal("0.5")])], title="T")
    root = ET.fromstring(svg)
    assert [t.text for t in root.iter(f"{SVG}text") if t.text in ("2019-01", "2019-02")] == [
        "2019-01",
        "2019-02",
    ]
    assert "<dc:date>" not in svg
    assert svg == trend_chart(
        ["2019-01", "2019-02"], [Series("Rate", [None, Decimal("0.5")])], title="T"
    )
    with pytest.raises(ValueError):
        trend_chart(["2019-01"], [Series("Rate", [0.1, 0.2])])


def test_a_provider_sees_only_its_own_provider_and_contracts(app):
    own, other = scored_sample_month(app, contracts=2)
    with app.app_context():
        own_provider = db.session.get(Contract, own).provider_id
        other_provider = db.session.get(Contract, other).provider_id
    client = logged_in_client(app, "koordinator@example.dk", "provider", own_provider)

    page = client.get("/scores/").get_data(as_text=True)

    rows = ScoreTable(page).rows
    assert set(rows) == {"Leverandør 0", "SÆR-0"}
    assert "Leverandør 1" not in page and "SÆR-1" not in page
    assert "Alle indsatser" not in page
    assert client.get(f"/scores/contract/{own}").status_code == 200
    assert client.get(f"/scores/provider/{own_provider}/trend.svg").status_code == 200
    for url in (
        f"/scores/contract/{other}",
        f"/scores/provider/{other_provider}",
        f"/scores/contract/{other}/trend.svg",
        f"/scores/provider/{other_provider}/trend.svg",
    ):
        assert client.get(url).status_code == 404, url


def test_the_administrator_sees_no_scores(app):
    [contract_id] = scored_sample_month(app)
    client = logged_in_client(app, "admin@example.dk", "admin")
    for url in (
        "/scores/",
        f"/scores/contract/{contract_id}",
        f"/scores/contract/{contract_id}/trend.svg",
    ):
        assert client.get(url).status_code == 403, url
    assert "/scores/" not in client.get("/admin/").get_data(as_text=True)  # no link in the menu


def test_score_pages_are_danish_safe_and_say_when_nothing_is_scored(app):
    client = logged_in_client(app, "oekonomi@example.dk", "finance")
    empty = client.get("/scores/")
    assert empty.status_code == 200
    assert "Der er endnu ingen resultatmålinger" in PageParts(empty.get_data(as_text=True)).text
    scored_sample_month(app)
    for url in (
        "/scores/?month=2019-01",
        "/scores/?month=2018-13",
        "/scores/?month=2018-12&view=bogus",
    ):
        response = client.get(url)
        parts = PageParts(response.get_data(as_text=True))
        assert response.status_code == 200, url
        assert parts.inline_scripts == 0 and not any("style" in a for _t, a in parts.tags), url
    assert (
        "Skriv måneden som ÅÅÅÅ-MM"
        in PageParts(client.get("/scores/?month=2018-13").get_data(as_text=True)).text
    )
    assert (
        "ingen resultatmålinger for december 2018"
        in PageParts(client.get("/scores/?month=2018-12").get_data(as_text=True)).text
    )
