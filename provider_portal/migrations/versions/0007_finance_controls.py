"""finance controls: attestation before approval, who issues the invoice, numbers per provider,
postal addresses, and the issued record frozen at approval

Revision ID: 0007
Revises: 0006

- `invoice`: the states `issued`, `attested` and `returned` with each step's who and when;
  the number belongs to a provider's series (`number_provider_id`), unique per provider and year.
- `invoice_number_counter`: one row per provider and year. Numbers already given keep their
  values (an issued number is never changed); each provider's series goes on from the highest
  number it holds in a year.
- `contract.invoicing`: `self_billing` (the default) or `provider_issued`.
- `provider`: street, postcode and city.
- `invoice_approval.issued`: the parties and terms as the invoice was issued. Invoices approved
  before this revision get the record now, from the rows as they are and the municipality's
  settings of the app running the upgrade: the nearest truth there is.

SQLite cannot alter constraints, so changed tables are copied in batch mode.
"""

import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATUSES_BEFORE = "status IN ('draft', 'approved')"
STATUSES_AFTER = "status IN ('draft', 'issued', 'attested', 'returned', 'approved')"
PAIR_BEFORE = "(number_year IS NULL) = (number_seq IS NULL)"
PAIR_AFTER = (
    "(number_year IS NULL) = (number_seq IS NULL)"
    " AND (number_year IS NULL) = (number_provider_id IS NULL)"
)


def _steps() -> list[sa.Column]:
    columns = []
    for step in ("issued", "attested", "returned"):
        columns.append(sa.Column(f"{step}_at", sa.DateTime(timezone=True), nullable=True))
        columns.append(sa.Column(f"{step}_by_id", sa.Integer(), nullable=True))
    return columns


def upgrade():
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.add_column(sa.Column("street", sa.String(200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("postcode", sa.String(4), server_default="", nullable=False))
        batch_op.add_column(sa.Column("city", sa.String(100), server_default="", nullable=False))

    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invoicing", sa.String(20), server_default="self_billing", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_contract_invoicing"), "invoicing IN ('self_billing', 'provider_issued')"
        )

    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number_provider_id", sa.Integer(), nullable=True))
        for column in _steps():
            batch_op.add_column(column)
        batch_op.add_column(sa.Column("return_reason", sa.Text(), nullable=True))
        for step in ("number_provider", "issued_by", "attested_by", "returned_by"):
            target = "provider" if step == "number_provider" else "user"
            batch_op.create_foreign_key(
                op.f(f"fk_invoice_{step}_id_{target}"), target, [f"{step}_id"], ["id"]
            )
    op.execute(
        "UPDATE invoice SET number_provider_id = (SELECT provider_id FROM contract"
        " WHERE contract.id = invoice.contract_id) WHERE number_year IS NOT NULL"
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_invoice_number_year_number_seq"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_invoice_number_provider_id_number_year_number_seq"),
            ["number_provider_id", "number_year", "number_seq"],
        )
        batch_op.drop_constraint(op.f("ck_invoice_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_status"), STATUSES_AFTER)
        batch_op.drop_constraint(op.f("ck_invoice_number_pair"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_number_pair"), PAIR_AFTER)
        batch_op.create_check_constraint(
            op.f("ck_invoice_returned_with_reason"),
            "(status = 'returned') = (return_reason IS NOT NULL)",
        )

    op.drop_table("invoice_number_counter")
    counter = op.create_table(
        "invoice_number_counter",
        sa.Column("provider_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "last_seq >= 0", name=op.f("ck_invoice_number_counter_last_seq_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_invoice_number_counter_provider_id_provider"),
        ),
        sa.PrimaryKeyConstraint("provider_id", "year", name=op.f("pk_invoice_number_counter")),
    )
    op.execute(
        counter.insert().from_select(
            ["provider_id", "year", "last_seq"],
            sa.text(
                "SELECT number_provider_id, number_year, max(number_seq) FROM invoice"
                " WHERE number_year IS NOT NULL GROUP BY number_provider_id, number_year"
            ).columns(
                sa.column("number_provider_id", sa.Integer()),
                sa.column("number_year", sa.Integer()),
                sa.column("max", sa.Integer()),
            ),
        )
    )

    with op.batch_alter_table("invoice_approval", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued", sa.JSON(), nullable=True))
    _record_issued_invoices()


def _buyer() -> dict:
    """The municipality as the running app is configured (empty outside an app)."""
    try:
        from flask import current_app

        config = current_app.config
    except RuntimeError:
        config = {}
    keys = {
        "name": "MUNICIPALITY_NAME",
        "department": "MUNICIPALITY_DEPARTMENT",
        "cvr": "MUNICIPALITY_CVR",
        "ean": "MUNICIPALITY_EAN",
        "street": "MUNICIPALITY_STREET",
        "postcode": "MUNICIPALITY_POSTCODE",
        "city": "MUNICIPALITY_CITY",
    }
    return {field: str(config.get(key) or "") for field, key in keys.items()}


def _record_issued_invoices() -> None:
    """The issued record (version 1, as contracts.services.issued_records writes it) for every
    invoice approved before this revision."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT invoice.id, invoice.vat_rate, provider.name, provider.cvr, provider.gln,"
            " contract.reference, contract.title, contract.kind, contract.monthly_fee,"
            " contract.hourly_rate, contract.outcome_bonus, programme.code, programme.name_da,"
            " programme.name_en"
            " FROM invoice JOIN invoice_approval ON invoice_approval.invoice_id = invoice.id"
            " JOIN contract ON contract.id = invoice.contract_id"
            " JOIN provider ON provider.id = contract.provider_id"
            " JOIN programme ON programme.id = contract.programme_id"
            " WHERE invoice.status = 'approved'"
        )
    ).all()
    buyer = _buyer()
    approval = sa.table("invoice_approval", sa.column("invoice_id"), sa.column("issued", sa.JSON))
    for row in rows:
        money = [f"{Decimal(str(v)):.2f}" for v in row[8:11]]
        record = {
            "version": 1,
            "seller": {
                "name": row[2],
                "cvr": row[3],
                "gln": row[4],
                "street": "",
                "postcode": "",
                "city": "",
            },
            "buyer": buyer,
            "contract": {
                "reference": row[5],
                "title": row[6],
                "kind": row[7],
                "invoicing": "self_billing",
                "monthly_fee": money[0],
                "hourly_rate": money[1],
                "outcome_bonus": money[2],
                "vat_rate": f"{Decimal(str(row[1])):.4f}",
            },
            "programme": {"code": row[11], "name_da": row[12], "name_en": row[13]},
        }
        bind.execute(
            approval.update()
            .where(approval.c.invoice_id == row[0])
            .values(issued=json.loads(json.dumps(record)))
        )


def downgrade():
    bind = op.get_bind()
    moved = bind.scalar(
        sa.text("SELECT count(*) FROM invoice WHERE status IN ('issued', 'attested', 'returned')")
    )
    if moved:
        raise RuntimeError(
            f"{moved} invoices are issued, attested or returned; the schema before 0007 knows "
            "only drafts and approved invoices. Approve them or set them back before going down."
        )
    with op.batch_alter_table("invoice_approval", schema=None) as batch_op:
        batch_op.drop_column("issued")
    op.drop_table("invoice_number_counter")
    counter = op.create_table(
        "invoice_number_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "last_seq >= 0", name=op.f("ck_invoice_number_counter_last_seq_nonnegative")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_invoice_number_counter")),
    )
    # One series a year again: numbers given per provider may repeat across providers, which
    # the old unique pair cannot hold; refuse rather than renumber issued invoices.
    doubled = bind.scalar(
        sa.text(
            "SELECT count(*) FROM (SELECT number_year, number_seq FROM invoice"
            " WHERE number_year IS NOT NULL GROUP BY number_year, number_seq"
            " HAVING count(*) > 1) AS d"
        )
    )
    if doubled:
        raise RuntimeError(
            f"{doubled} invoice numbers are used by more than one provider; one series a year "
            "cannot hold them. Going down would renumber issued invoices, which is not done."
        )
    op.execute(
        counter.insert().from_select(
            ["year", "last_seq"],
            sa.text(
                "SELECT number_year, max(number_seq) FROM invoice"
                " WHERE number_year IS NOT NULL GROUP BY number_year"
            ).columns(sa.column("number_year", sa.Integer()), sa.column("max", sa.Integer())),
        )
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_invoice_returned_with_reason"), type_="check")
        batch_op.drop_constraint(op.f("ck_invoice_number_pair"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_number_pair"), PAIR_BEFORE)
        batch_op.drop_constraint(op.f("ck_invoice_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_status"), STATUSES_BEFORE)
        batch_op.drop_constraint(
            op.f("uq_invoice_number_provider_id_number_year_number_seq"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_invoice_number_year_number_seq"), ["number_year", "number_seq"]
        )
        for step in ("number_provider", "issued_by", "attested_by", "returned_by"):
            target = "provider" if step == "number_provider" else "user"
            batch_op.drop_constraint(op.f(f"fk_invoice_{step}_id_{target}"), type_="foreignkey")
        batch_op.drop_column("return_reason")
        for column in reversed(_steps()):
            batch_op.drop_column(column.name)
        batch_op.drop_column("number_provider_id")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contract_invoicing"), type_="check")
        batch_op.drop_column("invoicing")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_column("city")
        batch_op.drop_column("postcode")
        batch_op.drop_column("street")
