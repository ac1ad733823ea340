"""a tender's lot may ask for milestone prices (DESIGN.md §15): the expected shares reaching the
week13 and week26 milestones and the contracts' clawback days on the lot, the later milestones'
amounts on its bids (issue 20)

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

LOT_SHARES = (
    "(expected_week13_rate IS NULL) = (expected_week26_rate IS NULL)"
    " AND expected_week26_rate >= 0"
    " AND expected_week26_rate <= expected_week13_rate"
    " AND expected_week13_rate <= expected_outcome_rate"
)
LOT_CLAWBACK = "clawback_days IS NULL OR (clawback_days >= 0 AND expected_week13_rate IS NOT NULL)"
BID_AMOUNTS = (
    "(week13_amount IS NULL) = (week26_amount IS NULL)"
    " AND week13_amount >= 0 AND week26_amount >= 0"
)


def upgrade():
    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expected_week13_rate", sa.Numeric(precision=6, scale=4), nullable=True)
        )
        batch_op.add_column(
            sa.Column("expected_week26_rate", sa.Numeric(precision=6, scale=4), nullable=True)
        )
        batch_op.add_column(sa.Column("clawback_days", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_lot_milestone_shares"), LOT_SHARES)
        batch_op.create_check_constraint(op.f("ck_lot_clawback_days"), LOT_CLAWBACK)

    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("week13_amount", sa.Numeric(precision=12, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("week26_amount", sa.Numeric(precision=12, scale=2), nullable=True)
        )
        batch_op.create_check_constraint(op.f("ck_bid_milestone_amounts"), BID_AMOUNTS)


def downgrade():
    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bid_milestone_amounts"), type_="check")
        batch_op.drop_column("week26_amount")
        batch_op.drop_column("week13_amount")

    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_lot_clawback_days"), type_="check")
        batch_op.drop_constraint(op.f("ck_lot_milestone_shares"), type_="check")
        batch_op.drop_column("clawback_days")
        batch_op.drop_column("expected_week26_rate")
        batch_op.drop_column("expected_week13_rate")
