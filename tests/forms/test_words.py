"""Words a Danish user reads: a count in a history row is "Antal", and the invoice export
names programmes as people know them, not by their codes."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from contracts.documents import exports
from contracts.models import Contract
from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.conftest import login
from tests.pages import PageParts


def _demo(app) -> dict[str, int]:
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        return {c.reference: c.id for c in db.session.scalars(sa.select(Contract))}


def test_a_read_in_a_contracts_history_counts_as_antal_and_names_no_internal_key(app):
    contract = _demo(app)["SÆR-2018-03"]
    provider = app.test_client()
    login(provider, "leverandor@demo.dk", "demo-password")
    assert provider.get(f"/provider/contracts/{contract}/reports/2019-01").status_code == 200
    client = app.test_client()
    login(client, "indkob@demo.dk", "demo-password")
    page = PageParts(client.get(f"/procurement/contracts/{contract}").get_data(as_text=True))
    history = page.text[page.text.index("Historik") :]
    assert "Deltagerliste læst" in history
    assert "Antal:" in history and "Nummer:" not in history
    assert "subject" not in history and "procurement." not in history


def test_the_invoice_export_names_the_programme_not_its_code(app):
    from provider_portal.finance.invoices import _export_row

    programme = SimpleNamespace(code="youth-bridging", name_da="Brobygning for unge")
    provider = SimpleNamespace(name="Bro ApS", cvr="12345678")
    contract = SimpleNamespace(programme=programme, provider=provider, reference="SÆR-2018-01")
    invoice = SimpleNamespace(
        number="2018-000001",
        kind="invoice",
        status="approved",
        contract=contract,
        month="2018-12",
        version=1,
        net=1,
        vat=0,
        total=1,
        exceeds_ceiling=False,
        approved_at=None,
    )
    row = _export_row(SimpleNamespace(invoice=invoice, credits=None))
    assert row[exports.INVOICE_HEADER.index("Indsats")] == "Brobygning for unge"
