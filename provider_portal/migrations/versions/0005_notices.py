"""notices during the month: exit and absence notices, and procurement's decision on exits

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LIVE_EXIT = sa.text("kind = 'exit' AND status IN ('received', 'confirmed')")
ABSENCE = sa.text("kind = 'absence'")


def upgrade():
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("exit_reason", sa.String(length=20), nullable=True),
        sa.Column("hours_missed", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'absence') = (hours_missed IS NOT NULL)",
            name=op.f("ck_notice_absence_has_hours"),
        ),
        sa.CheckConstraint(
            "(kind = 'exit') = (exit_reason IS NOT NULL)", name=op.f("ck_notice_exit_has_reason")
        ),
        sa.CheckConstraint(
            "(status = 'received') = (decided_at IS NULL)", name=op.f("ck_notice_decided_when")
        ),
        sa.CheckConstraint(
            "(status = 'rejected') = (rejection_reason IS NOT NULL)",
            name=op.f("ck_notice_rejection_has_reason"),
        ),
        sa.CheckConstraint(
            "exit_reason IN ('job', 'education', 'benefit_stopped', 'imprisonment', 'death', "
            "'moved', 'other')",
            name=op.f("ck_notice_exit_reason"),
        ),
        sa.CheckConstraint(
            "kind = 'exit' OR status = 'received'", name=op.f("ck_notice_only_exits_decided")
        ),
        sa.CheckConstraint("kind IN ('exit', 'absence')", name=op.f("ck_notice_kind")),
        sa.CheckConstraint(
            "status IN ('received', 'confirmed', 'rejected')", name=op.f("ck_notice_status")
        ),
        sa.CheckConstraint(
            "hours_missed IS NULL OR (hours_missed > 0 AND hours_missed <= 24)",
            name=op.f("ck_notice_hours_in_a_day"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_notice_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user.id"], name=op.f("fk_notice_decided_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolment.id"], name=op.f("fk_notice_enrolment_id_enrolment")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_notice_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_notice_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index("ix_notice_contract_day", ["contract_id", "on_date"], unique=False)
        batch_op.create_index("ix_notice_queue", ["status", "kind", "recorded_at"], unique=False)
        batch_op.create_index(
            "uq_notice_absence_day",
            ["enrolment_id", "on_date"],
            unique=True,
            sqlite_where=ABSENCE,
            postgresql_where=ABSENCE,
        )
        batch_op.create_index(
            "uq_notice_live_exit",
            ["enrolment_id"],
            unique=True,
            sqlite_where=LIVE_EXIT,
            postgresql_where=LIVE_EXIT,
        )


def downgrade():
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("uq_notice_live_exit")
        batch_op.drop_index("uq_notice_absence_day")
        batch_op.drop_index("ix_notice_queue")
        batch_op.drop_index("ix_notice_contract_day")
    op.drop_table("notice")
