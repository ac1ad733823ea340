"""a monthly report's follow-up lines (DESIGN.md §4, §15): the milestone claims a report carries
for participants who left the contract for a job or education earlier, made when the report is
accepted (issue 20)

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("employer_cvr", sa.String(length=8), nullable=True),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("weekly_hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.CheckConstraint(
            "(employer_cvr IS NOT NULL) OR (institution IS NOT NULL)",
            name=op.f("ck_report_follow_up_evidence"),
        ),
        sa.CheckConstraint(
            "weekly_hours > 0", name=op.f("ck_report_follow_up_weekly_hours_positive")
        ),
        sa.CheckConstraint("code IN ('week13', 'week26')", name=op.f("ck_report_follow_up_code")),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["monthly_report.id"],
            name=op.f("fk_report_follow_up_report_id_monthly_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_report_follow_up_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_follow_up")),
        sa.UniqueConstraint(
            "report_id",
            "participant_id",
            "code",
            name=op.f("uq_report_follow_up_report_id_participant_id_code"),
        ),
    )
    with op.batch_alter_table("report_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_follow_up_report_id"), ["report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("report_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_follow_up_report_id"))
    op.drop_table("report_follow_up")
