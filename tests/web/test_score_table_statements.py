"""A score page reads each of its tables in one statement: six contracts cost what one costs."""

from __future__ import annotations

import shutil

import pytest

from contracts.models import Contract
from contracts.services import score_tables
from provider_portal.extensions import db
from tests.api.sql_statements import statements
from tests.conftest import _make_app
from tests.factories import logged_in_client
from tests.pages import ScoreTable
from tests.scenarios import scored_sample_month

PAGES = ("/scores/?month=2019-01&view=monthly", "/scores/?month=2019-01&view=cumulative")


@pytest.fixture
def second_app(sqlite_template, clean_redis, tmp_path):
    """Another app on a fresh database of its own, beside `app`."""
    path = tmp_path / "second.db"
    shutil.copyfile(sqlite_template, path)
    instance = tmp_path / "second"
    instance.mkdir()
    yield from _make_app(f"sqlite:///{path}", clean_redis, instance)


def _costs(app, contracts: int) -> tuple[list[int], dict[str, dict[str, str]]]:
    """Statements each score page sends with `contracts` scored contracts, and the first page's rows."""
    ids = scored_sample_month(app, contracts)
    with app.app_context():
        provider_id = db.session.get(Contract, ids[0]).provider_id
    client = logged_in_client(app, "indkoeb@example.dk", "procurement")
    urls = [*PAGES, f"/scores/provider/{provider_id}", f"/scores/contract/{ids[0]}"]
    counts, rows = [], {}
    for url in urls:
        with statements(app) as sent:
            page = client.get(url)
        assert page.status_code == 200, url
        counts.append(len(sent))
        if url == PAGES[0]:
            rows = ScoreTable(page.get_data(as_text=True)).rows
    return counts, rows


def test_six_contracts_score_tables_cost_the_statements_of_one(app, second_app):
    few, few_rows = _costs(app, 1)
    many, many_rows = _costs(second_app, 6)

    assert few == many, (few, many)
    # ... and the larger tables do show every provider and contract.
    assert {f"Leverandør {n}" for n in range(6)} <= set(many_rows)
    assert {f"SÆR-{n} Leverandør {n}" for n in range(6)} <= set(many_rows)
    assert many_rows["SÆR-5 Leverandør 5"] == few_rows["SÆR-0 Leverandør 0"]


def test_the_tables_figures_are_those_scoring_gives_each_scope(app):
    scored_sample_month(app, 3)
    with app.app_context():
        for kind in ("all", "programme", "provider", "contract"):
            for cumulative in (False, True):
                tables = score_tables.figures_by_scope(db.session, kind, "2019-01", cumulative)
                assert tables, kind
                for scope_id, figures in tables.items():
                    assert figures == score_tables.figures(
                        db.session, kind, scope_id, "2019-01", cumulative
                    )
                    assert score_tables.figures_by_month(
                        db.session, kind, scope_id, cumulative
                    ) == {"2019-01": figures}
