"""The Alembic migrations build exactly the schema the models declare, on both databases."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from contracts.models import Base
from provider_portal.extensions import db


def test_migrations_match_the_models(any_app):
    with any_app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(any_app):
    with any_app.app_context():
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        db.engine.dispose()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"contract", "monthly_report", "invoice", "audit_event"} <= tables


def test_constraints_carry_their_conventional_names(any_app):
    with any_app.app_context():
        inspector = sa.inspect(db.engine)
        uniques = {u["name"] for u in inspector.get_unique_constraints("monthly_report")}
        checks = {c["name"] for c in inspector.get_check_constraints("invoice")}
    assert "uq_monthly_report_contract_id_month_version" in uniques
    assert "ck_invoice_totals" in checks
