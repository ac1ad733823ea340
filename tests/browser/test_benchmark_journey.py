"""Procurement compares cities in chromium (issue 19): exports the municipality's benchmark
package, imports Odense's, and reads the comparison with its chart."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from contracts.services.demo.benchmark_peers import shipped_package, trusted_lines
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[str]:
    """The demo with its 2018 scores aggregated, trusting the demo peers' keys."""
    import sqlalchemy as sa

    from contracts.models import MonthlyReport
    from contracts.services import scoring
    from provider_portal.extensions import db

    folder = tmp_path_factory.mktemp("benchmark-journey")
    app = demo_app(sqlite_template, redis_server, folder)
    trusted = folder / "trusted_keys"
    trusted.write_text(trusted_lines(), encoding="utf-8")
    app.config["BENCHMARK_TRUSTED_KEYS"] = str(trusted)
    with app.app_context():
        months = db.session.scalars(
            sa.select(MonthlyReport.month).distinct().where(MonthlyReport.month <= "2018-12")
        ).all()
        for month in sorted(months):
            scoring.compute_month(db.session, month)
        db.session.commit()
    with serving(app, "benchmark-portal") as url:
        yield url


def test_procurement_exports_imports_and_compares(page: Page, portal: str, tmp_path):
    watch = ConsoleWatch(page)
    log_in(page, portal, "indkob@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Sammenlign kommuner"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sammenlign kommuner")

    page.get_by_role("link", name="Eksportér benchmarkpakke").click()
    page.get_by_label("Første måned").fill("2018-07")
    page.get_by_label("Sidste måned").fill("2018-12")
    with page.expect_download() as download:
        page.get_by_role("button", name="Hent pakken").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["period"] == {"from": "2018-07", "to": "2018-12"}
    assert exported["municipality"]["name"] == "Københavns Kommune"

    odense = tmp_path / "odense.json"
    odense.write_text(json.dumps(shipped_package("odense")), encoding="utf-8")
    page.goto(f"{portal}/benchmark/import")
    page.get_by_label("Pakkefil (JSON)").set_input_files(str(odense))
    page.get_by_role("button", name="Importér").click()
    expect(page.get_by_role("status")).to_contain_text("Odense Kommune")

    page.get_by_role("link", name="Sammenlign kommuner").first.click()
    page.get_by_label("Første måned").fill("2018-07")
    page.get_by_label("Sidste måned").fill("2018-12")
    page.get_by_role("button", name="Vis").click()
    table = page.locator("table.data")
    for city in ("Københavns Kommune", "Odense Kommune", "Aarhus Kommune"):
        expect(table).to_contain_text(city)
    chart = page.get_by_role(
        "img", name="Resultatrate pr. kommune over månederne, med 95 %-interval"
    )
    expect(chart).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", chart.element_handle()) > 0
    assert_accessible(page, "benchmark comparison")
    assert watch.problems == []
