"""contracts paid by milestones (DESIGN.md §15): clawback days and later milestones in the
terms, claims that a job or education lasted, relapses, and invoice lines for milestones paid
and taken back (issue 20)

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

AMOUNTS_BEFORE = (
    "base_fee >= 0 AND hours_amount >= 0 AND bonus >= 0"
    " AND abs(amount - (base_fee + hours_amount + bonus)) < 0.005"
)
AMOUNTS_AFTER = (
    "base_fee >= 0 AND hours_amount >= 0"
    " AND (bonus >= 0) = (item NOT LIKE 'clawback%')"
    " AND abs(amount - (base_fee + hours_amount + bonus)) < 0.005"
)
ITEMS = (
    "item IN ('month', 'week13', 'week26', 'clawback_start', 'clawback_week13', 'clawback_week26')"
)


def _people(table: str, *columns: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint([f"{c}_id"], ["user.id"], name=op.f(f"fk_{table}_{c}_id_user"))
        for c in columns
    ]


def _owners(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            [f"{target}_id"], [f"{target}.id"], name=op.f(f"fk_{table}_{target}_id_{target}")
        )
        for target in ("contract", "enrolment", "participant")
    ]


def upgrade():
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clawback_days", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_contract_clawback_days"), "clawback_days IS NULL OR clawback_days >= 0"
        )

    op.create_table(
        "contract_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_contract_milestone_amount_nonnegative")),
        sa.CheckConstraint("code IN ('week13', 'week26')", name=op.f("ck_contract_milestone_code")),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_milestone_contract_id_contract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_milestone")),
        sa.UniqueConstraint(
            "contract_id", "code", name=op.f("uq_contract_milestone_contract_id_code")
        ),
    )

    op.create_table(
        "milestone_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("employer_cvr", sa.String(length=8), nullable=True),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("weekly_hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("milestone_on", sa.Date(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("check_required", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payable_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(employer_cvr IS NOT NULL) OR (institution IS NOT NULL)",
            name=op.f("ck_milestone_claim_evidence"),
        ),
        sa.CheckConstraint(
            "weekly_hours > 0", name=op.f("ck_milestone_claim_weekly_hours_positive")
        ),
        sa.CheckConstraint(
            "(status = 'claimed') = (decided_at IS NULL)",
            name=op.f("ck_milestone_claim_decided_when"),
        ),
        sa.CheckConstraint(
            "(status = 'rejected') = (rejection_reason IS NOT NULL)",
            name=op.f("ck_milestone_claim_rejection_has_reason"),
        ),
        sa.CheckConstraint("code IN ('week13', 'week26')", name=op.f("ck_milestone_claim_code")),
        sa.CheckConstraint(
            "status IN ('claimed', 'verified', 'rejected')", name=op.f("ck_milestone_claim_status")
        ),
        *_owners("milestone_claim"),
        *_people("milestone_claim", "made_by", "decided_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_claim")),
        sa.UniqueConstraint(
            "contract_id",
            "participant_id",
            "code",
            name=op.f("uq_milestone_claim_contract_id_participant_id_code"),
        ),
    )
    with op.batch_alter_table("milestone_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_claim_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_milestone_claim_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            "ix_milestone_claim_queue", ["status", "check_required", "made_at"], unique=False
        )

    op.create_table(
        "relapse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("relapsed_on", sa.Date(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_owners("relapse"),
        *_people("relapse", "recorded_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relapse")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_relapse_enrolment_id")),
    )
    with op.batch_alter_table("relapse", schema=None) as batch_op:
        batch_op.create_index(
            "ix_relapse_contract_participant", ["contract_id", "participant_id"], unique=False
        )

    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item", sa.String(length=20), server_default="month", nullable=False)
        )
        batch_op.drop_constraint(op.f("uq_invoice_line_invoice_id_participant_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_invoice_line_invoice_id_participant_id_item"),
            ["invoice_id", "participant_id", "item"],
        )
        batch_op.drop_constraint(op.f("ck_invoice_line_amounts"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_line_amounts"), AMOUNTS_AFTER)
        batch_op.create_check_constraint(op.f("ck_invoice_line_item"), ITEMS)


def downgrade():
    # Milestone and clawback lines have no place in the schema before: they go with it.
    op.execute("DELETE FROM invoice_line WHERE item <> 'month'")
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_invoice_line_item"), type_="check")
        batch_op.drop_constraint(op.f("ck_invoice_line_amounts"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoice_line_amounts"), AMOUNTS_BEFORE)
        batch_op.drop_constraint(
            op.f("uq_invoice_line_invoice_id_participant_id_item"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_invoice_line_invoice_id_participant_id"), ["invoice_id", "participant_id"]
        )
        batch_op.drop_column("item")
    with op.batch_alter_table("relapse", schema=None) as batch_op:
        batch_op.drop_index("ix_relapse_contract_participant")
    op.drop_table("relapse")
    with op.batch_alter_table("milestone_claim", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_claim_queue")
        batch_op.drop_index(batch_op.f("ix_milestone_claim_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_claim_contract_id"))
    op.drop_table("milestone_claim")
    op.drop_table("contract_milestone")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contract_clawback_days"), type_="check")
        batch_op.drop_column("clawback_days")
