"""The demo shows three cities (issue 19): for 2018 Copenhagen's own scores and the Odense and
Aarhus packages each give published counts and rates with their intervals, and the chart a bar
for each city."""

from __future__ import annotations

import re

import sqlalchemy as sa

from contracts.models import MonthlyReport
from contracts.services import scoring
from contracts.services.benchmark import comparison
from contracts.services.benchmark.suppression import ALL
from contracts.services.demo import load_demo
from contracts.services.demo.plan import DEMO_PASSWORD
from provider_portal.extensions import db
from tests.conftest import login

CITIES = ["Københavns Kommune", "Aarhus Kommune", "Odense Kommune"]  # peers by name


def _scored_demo(app) -> None:
    """The demo with its months scored, as the worker's aggregation leaves it."""
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        for month in db.session.scalars(sa.select(MonthlyReport.month).distinct()).all():
            scoring.compute_month(db.session, month)
        db.session.commit()


def test_the_demos_comparison_publishes_figures_for_all_three_cities(app):
    _scored_demo(app)
    with app.app_context():
        months = comparison.imported_months(db.session)
        assert (months[0], months[-1]) == ("2018-03", "2018-12")
        cities = comparison.compare(db.session, CITIES[0], ALL, months)
    assert [c.name for c in cities] == CITIES
    for city in cities:
        total = city.over(months)
        assert None not in (total.participants, total.exits, total.positive), city.name
        rate, (low, high) = total.outcome
        assert 0 < low < rate < high < 1, city.name
        assert total.placement is not None, city.name


def test_the_comparison_page_and_chart_show_each_city(app):
    _scored_demo(app)
    client = app.test_client()
    login(client, "okonomi@demo.dk", DEMO_PASSWORD)  # finance reads it too
    page = client.get("/benchmark/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert all(name in text for name in CITIES)
    assert "Ingen tal" not in text and "Eksportér benchmarkpakke" not in text
    # Rates as Danes write them, with a decimal comma (was "16.0 %").
    assert re.search(r"\d,\d %", text) and not re.search(r"\d\.\d %", text)
    chart = client.get("/benchmark/chart.svg").get_data(as_text=True)
    assert "ikke offentliggjort" not in chart
    assert all(name in chart for name in CITIES)
