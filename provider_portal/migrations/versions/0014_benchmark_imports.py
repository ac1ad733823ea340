"""benchmark_import: packages imported from peer municipalities (DESIGN.md §12)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "benchmark_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(200), nullable=False),
        sa.Column("cvr", sa.String(8), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("period_from", sa.String(7), nullable=False),
        sa.Column("period_to", sa.String(7), nullable=False),
        sa.Column("package", sa.JSON(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["user.id"], name=op.f("fk_benchmark_import_imported_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_import")),
    )
    op.create_index(op.f("ix_benchmark_import_cvr"), "benchmark_import", ["cvr"])


def downgrade():
    op.drop_index(op.f("ix_benchmark_import_cvr"), table_name="benchmark_import")
    op.drop_table("benchmark_import")
