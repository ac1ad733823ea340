"""withdrawn enrolments: an enrolment registered by mistake may end with the reason 'withdrawn'

Revision ID: 0006
Revises: 0005

Only the CHECK constraint on `enrolment.end_reason` changes. SQLite cannot alter a constraint,
so the table is copied in batch mode (its indexes, the partial unique index of open enrolments
among them, are made again as they were: the migration test checks it); PostgreSQL drops and
adds the constraint.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

EXITS = "'job', 'education', 'benefit_stopped', 'imprisonment', 'death', 'moved', 'other'"
BEFORE = f"end_reason IN ({EXITS}, 'transferred')"
AFTER = f"end_reason IN ({EXITS}, 'transferred', 'withdrawn')"


def _end_reasons(check: str) -> None:
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enrolment_end_reason"), type_="check")
        batch_op.create_check_constraint(op.f("ck_enrolment_end_reason"), check)


def upgrade():
    _end_reasons(AFTER)


def downgrade():
    withdrawn = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM enrolment WHERE end_reason = 'withdrawn'")
    )
    if withdrawn:
        raise RuntimeError(
            f"{withdrawn} enrolments ended as registered by mistake ('withdrawn'); the schema "
            "before 0006 has no such end reason. Decide what each should be before going down."
        )
    _end_reasons(BEFORE)
