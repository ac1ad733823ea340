"""A 1,000-line invoice PDF against the floor: WeasyPrint on a bare HTML table of the same rows.

The program is the real path from plain data: the sandboxed template, Danish formatting,
the print stylesheet through the locked-down fetcher, running header and footer, page
numbers. The floor is the least WeasyPrint can do with the same figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .common import best_of, result_line

LINES = 1_000
RUNS = 3


def sample_document(lines: int = LINES):
    """A 1,000-line approved invoice as plain data (amounts as the pricing rule gives them)."""
    from contracts.documents.data import DocumentLine, InvoiceDocument, Municipality, Seller

    rows = []
    for n in range(lines):
        days = 1 + n % 31
        base = (Decimal("9500.00") * days / 31).quantize(Decimal("0.01"))
        hours = Decimal(n % 150)
        hours_amount = Decimal("45.00") * hours
        bonus = Decimal("15000.00") if n % 97 == 0 else Decimal("0.00")
        rows.append(
            DocumentLine(
                f"DL-{n:05d}",
                days,
                hours,
                base,
                hours_amount,
                bonus,
                base + hours_amount + bonus,
                n + 1,
            )
        )
    net = sum((r.amount for r in rows), Decimal(0))
    vat = (net * Decimal("0.25")).quantize(Decimal("0.01"))
    return InvoiceDocument(
        id=1,
        kind="invoice",
        number="2019-000001",
        status="approved",
        month="2019-01",
        version=1,
        contract_id=1,
        contract_reference="SÆR-2018-03",
        programme_code="adult-employment",
        programme_name="Beskæftigelsesrettet forløb",
        monthly_fee=Decimal("9500.00"),
        hourly_rate=Decimal("45.00"),
        outcome_bonus=Decimal("15000.00"),
        seller=Seller(1, "Nyt Fodfæste A/S", "13585628", None),
        buyer=Municipality("Københavns Kommune", "64942212", "5798009800275"),
        vat_rate=Decimal("0.25"),
        net=net,
        vat=vat,
        total=net + vat,
        exceeds_ceiling=False,
        issued_on=date(2019, 2, 5),
        due_on=date(2019, 3, 7),
        credited_id=None,
        credited_number=None,
        credited_issued_on=None,
        lines=tuple(rows),
    )


def bare_html(doc) -> str:
    """The same rows as a bare table: no template engine, no stylesheet, no formatting."""
    cells = "".join(
        f"<tr><td>{r.participant_ref}</td><td>{r.days}</td><td>{r.hours_delivered}</td>"
        f"<td>{r.base_fee}</td><td>{r.hours_amount}</td><td>{r.bonus}</td><td>{r.amount}</td></tr>"
        for r in doc.lines
    )
    return f"<html><body><table>{cells}</table><p>{doc.net} {doc.vat} {doc.total}</p></body></html>"


def run() -> list[str]:
    from weasyprint import HTML

    from contracts.documents import pdf
    from provider_portal import ROOT

    # The app's templates and static folder, as the web side hands them in.
    renderer = pdf.renderer_for(ROOT / "templates", ROOT / "provider_portal" / "static")
    doc = sample_document()
    html = bare_html(doc)
    pdf.invoice_pdf(renderer, sample_document(10))  # warm up fonts and the template cache
    program = best_of(RUNS, lambda: None, lambda _: pdf.invoice_pdf(renderer, doc))
    floor = best_of(RUNS, lambda: None, lambda _: HTML(string=html).write_pdf())
    return [result_line("invoice pdf", f"{LINES} lines", program, floor)]


if __name__ == "__main__":
    for line in run():
        print(line)
