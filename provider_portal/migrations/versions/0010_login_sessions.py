"""server-side sessions: a row per login that logout, idle time, age, deactivation and a
password change end (DESIGN.md §13)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

END_REASONS = ("logout", "idle", "expired", "deactivated", "password_changed", "moved", "replaced")


def upgrade():
    quoted = ", ".join(f"'{reason}'" for reason in END_REASONS)
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reauth_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.String(20), nullable=True),
        sa.Column("binding", sa.String(64), nullable=False),
        sa.Column("password_stamp", sa.String(64), nullable=False),
        sa.Column("remote_addr", sa.String(45), nullable=True),
        sa.CheckConstraint(
            f"ended_reason IN ({quoted})", name=op.f("ck_login_session_ended_reason")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_login_session_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_login_session_id_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
