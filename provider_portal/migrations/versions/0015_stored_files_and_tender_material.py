"""stored_file (uploaded files, in the database) and a tender's material: documents in
versions, deadline moves, the question deadline, questions and answers (issue 18)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DOCUMENT_TYPES = (
    "tenderNotice",
    "biddingDocuments",
    "technicalSpecifications",
    "evaluationCriteria",
    "eligibilityCriteria",
    "contractDraft",
    "contractSchedule",
    "billOfQuantity",
    "clarifications",
)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_stored_file_created_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_file")),
    )
    with op.batch_alter_table("tender") as batch:
        batch.add_column(
            sa.Column("question_deadline_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "tender_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("document_type", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _in("document_type", DOCUMENT_TYPES), name=op.f("ck_tender_document_document_type")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_tender_document_tender_id_tender")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_document")),
        sa.UniqueConstraint("tender_id", "title", name=op.f("uq_tender_document_tender_id_title")),
    )
    op.create_index(op.f("ix_tender_document_tender_id"), "tender_document", ["tender_id"])
    op.create_table(
        "tender_document_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.Column("after_publication", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_tender_document_version_number_positive")),
        sa.CheckConstraint(
            "NOT after_publication OR change_note IS NOT NULL",
            name=op.f("ck_tender_document_version_change_note_after_publication"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["tender_document.id"],
            name=op.f("fk_tender_document_version_document_id_tender_document"),
        ),
        sa.ForeignKeyConstraint(
            ["stored_file_id"],
            ["stored_file.id"],
            name=op.f("fk_tender_document_version_stored_file_id_stored_file"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user.id"],
            name=op.f("fk_tender_document_version_uploaded_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_document_version")),
        sa.UniqueConstraint(
            "document_id", "number", name=op.f("uq_tender_document_version_document_id_number")
        ),
        sa.UniqueConstraint(
            "stored_file_id", name=op.f("uq_tender_document_version_stored_file_id")
        ),
    )
    op.create_index(
        op.f("ix_tender_document_version_document_id"), "tender_document_version", ["document_id"]
    )
    op.create_table(
        "tender_deadline_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("moved_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moved_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_by_id", sa.Integer(), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_tender_deadline_move_tender_id_tender")
        ),
        sa.ForeignKeyConstraint(
            ["moved_by_id"], ["user.id"], name=op.f("fk_tender_deadline_move_moved_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_deadline_move")),
    )
    op.create_index(
        op.f("ix_tender_deadline_move_tender_id"), "tender_deadline_move", ["tender_id"]
    )
    op.create_table(
        "tender_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("public_question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            _in("status", ("asked", "answered", "published")),
            name=op.f("ck_tender_question_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_tender_question_tender_id_tender")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_tender_question_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_id"], ["user.id"], name=op.f("fk_tender_question_asked_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["user.id"], name=op.f("fk_tender_question_answered_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_question")),
    )
    op.create_index(op.f("ix_tender_question_tender_id"), "tender_question", ["tender_id"])
    op.create_index(op.f("ix_tender_question_provider_id"), "tender_question", ["provider_id"])


def downgrade():
    op.drop_index(op.f("ix_tender_question_provider_id"), table_name="tender_question")
    op.drop_index(op.f("ix_tender_question_tender_id"), table_name="tender_question")
    op.drop_table("tender_question")
    op.drop_index(op.f("ix_tender_deadline_move_tender_id"), table_name="tender_deadline_move")
    op.drop_table("tender_deadline_move")
    op.drop_index(
        op.f("ix_tender_document_version_document_id"), table_name="tender_document_version"
    )
    op.drop_table("tender_document_version")
    op.drop_index(op.f("ix_tender_document_tender_id"), table_name="tender_document")
    op.drop_table("tender_document")
    with op.batch_alter_table("tender") as batch:
        batch.drop_column("question_deadline_at")
    op.drop_table("stored_file")
