"""users' lifecycle: a provider's own user administrator, staff awaiting a second person's
approval, and one-time links (invitations and password resets) kept as digests (DESIGN.md §13)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("manages_users", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("awaiting_approval", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("invited_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_user_invited_by_id_user"), "user", ["invited_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_user_manages_users_only_provider"), "role = 'provider' OR NOT manages_users"
        )
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('invitation', 'reset')", name=op.f("ck_invitation_purpose")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_invitation_user_id_user")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_invitation_created_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_user_id"), "invitation", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_invitation_user_id"), table_name="invitation")
    op.drop_table("invitation")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_manages_users_only_provider"), type_="check")
        batch_op.drop_constraint(op.f("fk_user_invited_by_id_user"), type_="foreignkey")
        batch_op.drop_column("invited_by_id")
        batch_op.drop_column("awaiting_approval")
        batch_op.drop_column("manages_users")
