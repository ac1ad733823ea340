"""gap-free invoice numbers per year, and invoice approvals

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invoice_number_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "last_seq >= 0", name=op.f("ck_invoice_number_counter_last_seq_nonnegative")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_invoice_number_counter")),
    )
    op.create_table(
        "invoice_approval",
        sa.Column("invoice_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("ceiling_confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("ceiling_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ceiling_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(ceiling_confirmed_by_id IS NULL) = (ceiling_reason IS NULL)",
            name=op.f("ck_invoice_approval_ceiling_reason_given"),
        ),
        sa.CheckConstraint("due_on >= issued_on", name=op.f("ck_invoice_approval_due_after_issue")),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["user.id"], name=op.f("fk_invoice_approval_approved_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["ceiling_confirmed_by_id"],
            ["user.id"],
            name=op.f("fk_invoice_approval_ceiling_confirmed_by_id_user"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_approval_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_invoice_approval")),
    )


def downgrade():
    op.drop_table("invoice_approval")
    op.drop_table("invoice_number_counter")
