"""single sign-on and folded reads: a user's persistent SAML identifier, the assertions seen
(so a replay is refused), and the marks that fold reads of participant data per user, list and day

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("saml_uuid", sa.String(100), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_user_saml_uuid"), ["saml_uuid"])
    op.create_table(
        "saml_assertion",
        sa.Column("assertion_id", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_on_or_after", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("assertion_id", name=op.f("pk_saml_assertion")),
    )
    op.create_index(
        op.f("ix_saml_assertion_not_on_or_after"), "saml_assertion", ["not_on_or_after"]
    )
    op.create_table(
        "read_mark",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_read_mark_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "subject", "day", name=op.f("pk_read_mark")),
    )


def downgrade():
    op.drop_table("read_mark")
    op.drop_index(op.f("ix_saml_assertion_not_on_or_after"), table_name="saml_assertion")
    op.drop_table("saml_assertion")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_user_saml_uuid"), type_="unique")
        batch_op.drop_column("saml_uuid")
