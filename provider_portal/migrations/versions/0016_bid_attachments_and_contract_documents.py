"""a bid's files (sealed as its prices), the evaluators' reason for each quality score, and a
contract's documents and its amendments' (issue 18)

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BID_ATTACHMENT_KINDS = ("method_description", "cv", "reference", "other")
CONTRACT_DOCUMENT_TYPES = (
    "contractSigned",
    "contractAnnexe",
    "contractSchedule",
    "contractSummary",
    "contractGuarantees",
    "subContract",
)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table("bid") as batch:
        batch.add_column(sa.Column("quality_reason", sa.Text(), nullable=True))
    op.create_table(
        "bid_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", BID_ATTACHMENT_KINDS), name=op.f("ck_bid_attachment_kind")),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name=op.f("fk_bid_attachment_bid_id_bid")),
        sa.ForeignKeyConstraint(
            ["stored_file_id"],
            ["stored_file.id"],
            name=op.f("fk_bid_attachment_stored_file_id_stored_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bid_attachment")),
        sa.UniqueConstraint("stored_file_id", name=op.f("uq_bid_attachment_stored_file_id")),
    )
    op.create_index(op.f("ix_bid_attachment_bid_id"), "bid_attachment", ["bid_id"])
    op.create_table(
        "contract_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("document_type", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _in("document_type", CONTRACT_DOCUMENT_TYPES),
            name=op.f("ck_contract_document_document_type"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_document_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendment.id"],
            name=op.f("fk_contract_document_amendment_id_amendment"),
        ),
        sa.ForeignKeyConstraint(
            ["stored_file_id"],
            ["stored_file.id"],
            name=op.f("fk_contract_document_stored_file_id_stored_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_document")),
        sa.UniqueConstraint("stored_file_id", name=op.f("uq_contract_document_stored_file_id")),
    )
    op.create_index(op.f("ix_contract_document_contract_id"), "contract_document", ["contract_id"])
    op.create_index(
        op.f("ix_contract_document_amendment_id"), "contract_document", ["amendment_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_contract_document_amendment_id"), table_name="contract_document")
    op.drop_index(op.f("ix_contract_document_contract_id"), table_name="contract_document")
    op.drop_table("contract_document")
    op.drop_index(op.f("ix_bid_attachment_bid_id"), table_name="bid_attachment")
    op.drop_table("bid_attachment")
    with op.batch_alter_table("bid") as batch:
        batch.drop_column("quality_reason")
