"""the second factor: a TOTP secret (kept encrypted), its last accepted time step, the demo's
exemption, and ten one-time recovery codes kept as digests (DESIGN.md §13)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_REASONS = ("logout", "idle", "expired", "deactivated", "password_changed", "moved", "replaced")
# A reset second factor ends the person's sessions too.
NEW_REASONS = (*OLD_REASONS, "factor_reset")


def _reasons(reasons) -> None:
    quoted = ", ".join(f"'{reason}'" for reason in reasons)
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_login_session_ended_reason"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_login_session_ended_reason"), f"ended_reason IN ({quoted})"
        )


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(255), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("two_factor_exempt", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_recovery_code_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])
    _reasons(NEW_REASONS)


def downgrade():
    _reasons(OLD_REASONS)
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("two_factor_exempt")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
