"""The benchmark's floor for a year with milestones (benchmarks.milestone_floor) writes the same
invoices as the portal, so that `make bench` compares like with like and the floor cannot rot
as the invoicing changes."""

import sqlalchemy as sa

from benchmarks import milestones
from benchmarks.data import make_reports
from benchmarks.milestone_data import add_milestones
from contracts.models import InvoiceLine
from contracts.models.invoices import LINE_ITEMS
from contracts.rules.periods import months_between
from provider_portal.extensions import db

MONTHS = ("2019-01", "2019-12")


def test_the_floor_and_the_portal_invoice_a_small_milestone_year_alike(any_app):
    """Four contracts of 40 participants, half of them leaving early: every kind of milestone
    and clawback line occurs, and both ways give the same invoices, lines and totals."""
    with any_app.app_context():
        ids = make_reports(db.session, 4, 40, *MONTHS)
        made = add_milestones(db.session, ids, *MONTHS, leaving=0.5)
        db.session.commit()
        engine = db.engine
    assert made.late_rejections, "no claim is rejected after it was paid"
    months = months_between(*MONTHS)

    milestones.program_year(any_app, engine, made, months)
    program = milestones.invoiced(engine)
    with any_app.app_context():
        items = set(db.session.scalars(sa.select(InvoiceLine.item).distinct()))
    milestones.reset(engine, made)
    milestones.floor_year(engine, engine.dialect.name, made, months)

    assert items == set(LINE_ITEMS)
    assert milestones.invoiced(engine) == program
