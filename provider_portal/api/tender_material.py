"""API calls on a tender's material: documents in versions and the deadline moved with a
reason (issue 18); its questions and answers are in `tender_questions`.

A provider reads and downloads the material of a published tender; procurement uploads and
moves the deadline. Every download is in the audit log.
"""

from __future__ import annotations

from flask import request
from pydantic import BaseModel, Field

from contracts.models import DeadlineMove, Tender, TenderDocument, TenderDocumentVersion
from contracts.models.tender_material import TENDER_DOCUMENT_TYPES
from contracts.rules.problems import InputRejected, Problem
from contracts.services import tenders as service
from contracts.services.paging import page_of
from contracts.services.tenders import material

from ..clock import now
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..security import actor, viewer
from .declare import operation
from .tender_schemas import READERS, Moment, TenderOut
from .types import Model

TENDER = "/tenders/<int:tender_id>"
DOCUMENT = TENDER + "/documents/<int:document_id>"


class VersionOut(BaseModel):
    number: int
    filename: str
    media_type: str = Field(description="The type read from the file's content")
    size: int
    sha256: str
    uploaded_at: Moment
    after_publication: bool = Field(
        description="Uploaded after the tender was published (a new version to note)"
    )
    change_note: str | None = Field(description="What changed (versions after publication)")
    url: str = Field(description="Where the version is downloaded")

    @classmethod
    def of(cls, tender_id: int, document_id: int, version: TenderDocumentVersion) -> VersionOut:
        return cls(
            number=version.number,
            filename=version.file.filename,
            media_type=version.file.media_type,
            size=version.file.size,
            sha256=version.file.sha256,
            uploaded_at=version.uploaded_at,
            after_publication=version.after_publication,
            change_note=version.change_note,
            url=f"/api/v1/tenders/{tender_id}/documents/{document_id}/versions/"
            f"{version.number}/file",
        )


class DocumentOut(BaseModel):
    """A document of the material: its current version and every version, oldest first."""

    id: int
    title: str
    document_type: str = Field(description="The OCDS documentType code")
    current: VersionOut
    versions: list[VersionOut]

    @classmethod
    def of(cls, document: TenderDocument) -> DocumentOut:
        versions = [VersionOut.of(document.tender_id, document.id, v) for v in document.versions]
        return cls(
            id=document.id,
            title=document.title,
            document_type=document.document_type,
            current=versions[-1],
            versions=versions,
        )


class DeadlineIn(Model):
    deadline: Moment
    reason: str | None = Field(
        default=None, max_length=2000, description="Required once the tender is published"
    )


class DeadlineMoveOut(BaseModel):
    moved_at: Moment
    moved_from: Moment | None
    moved_to: Moment
    reason: str

    @classmethod
    def of(cls, move: DeadlineMove) -> DeadlineMoveOut:
        return cls(
            moved_at=move.moved_at,
            moved_from=move.moved_from,
            moved_to=move.moved_to,
            reason=move.reason,
        )


def readable_tender(tender_id: int) -> Tender:
    """The tender as the viewer may see it (a draft is 404 to a provider)."""
    return service.get_tender(db.session, viewer(), tender_id)


@operation(
    "GET",
    TENDER + "/documents",
    summary="List a tender's material",
    roles=READERS,
    tag="tender material",
    response=DocumentOut,
    paged=True,
    response_description="A page of the documents, by title, each with its versions",
)
def list_tender_documents(tender_id: int, page: int, per_page: int):
    """A provider sees the material of a published tender (a draft is 404 to it)."""
    tender = readable_tender(tender_id)
    return page_of(db.session, material.documents_query(tender), page, per_page).mapped(
        DocumentOut.of
    )


UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["title", "document_type", "file"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "document_type": {"type": "string", "enum": list(TENDER_DOCUMENT_TYPES)},
        "change_note": {
            "type": "string",
            "maxLength": 2000,
            "description": "What changed: required once the tender is published",
        },
        "file": {"type": "string", "format": "binary", "description": "At most 25 MB"},
    },
}


def _form_problems() -> None:
    if request.mimetype != "multipart/form-data":
        raise InputRejected(
            [Problem("send the document as multipart/form-data", field=None)], status=415
        )
    problems = []
    if not request.form.get("title", "").strip():
        problems.append(Problem("is required", field="title"))
    if request.form.get("document_type") not in TENDER_DOCUMENT_TYPES:
        problems.append(
            Problem(
                "must be one of %(kinds)s",
                {"kinds": ", ".join(TENDER_DOCUMENT_TYPES)},
                field="document_type",
            )
        )
    if request.files.get("file") is None:
        problems.append(Problem("send the file as the part named 'file'", field="file"))
    if problems:
        raise InputRejected(problems)


@operation(
    "POST",
    TENDER + "/documents",
    summary="Upload a document of the material, or a new version of it",
    roles=("procurement",),
    tag="tender material",
    response=DocumentOut,
    status=201,
    response_description="The document with its new version",
    conflicts="The tender's deadline has passed, or it is cancelled or decided.",
    extra_errors=(413, 415, 422),
    raw_body={"multipart/form-data": {"schema": UPLOAD_SCHEMA}},
)
@accepts_files
def upload_tender_document(tender_id: int):
    """The same title again makes a new version. The file's type is read from its content
    (PDF, DOCX, XLSX, ODT, ODS; at most 25 MB); an encrypted, damaged or scripted PDF is
    refused (422). Once the tender is published a version needs `change_note` and every
    provider is told."""
    _form_problems()
    upload = request.files["file"]
    version = material.upload(
        db.session,
        actor(),
        viewer(),
        tender_id,
        title=request.form["title"],
        document_type=request.form["document_type"],
        data=upload.read(),
        filename=upload.filename or "",
        change_note=request.form.get("change_note"),
        now=now(),
    )
    db.session.expire_all()
    document = db.session.get(TenderDocument, version.document_id)
    return DocumentOut.of(document)


def _file(tender_id: int, document_id: int, number: int | None):
    version = material.version_to_read(
        db.session, actor(), viewer(), tender_id, document_id, number, now()
    )
    return file_response(version.file)


@operation(
    "GET",
    DOCUMENT + "/file",
    summary="Download a document's current version",
    roles=READERS,
    tag="tender material",
    response=None,
    media_type="application/*",
    response_description="The file, as a download of the type read from its content",
)
def get_tender_document_file(tender_id: int, document_id: int):
    """Each download is recorded in the audit log."""
    return _file(tender_id, document_id, None)


@operation(
    "GET",
    DOCUMENT + "/versions/<int:number>/file",
    summary="Download a version of a document",
    roles=READERS,
    tag="tender material",
    response=None,
    media_type="application/*",
    response_description="The file, as a download of the type read from its content",
)
def get_tender_document_version_file(tender_id: int, document_id: int, number: int):
    """Each download is recorded in the audit log."""
    return _file(tender_id, document_id, number)


@operation(
    "POST",
    TENDER + "/deadline",
    summary="Set or move the deadline for bids",
    roles=("procurement",),
    tag="tender material",
    body=DeadlineIn,
    response=TenderOut,
    response_description="The tender with its deadline",
    conflicts="The tender's deadline has passed, or it is cancelled or decided.",
)
def move_tender_deadline(tender_id: int, body: DeadlineIn):
    """A draft's deadline is set freely; a published tender's only later, with a reason, kept and
    told to every provider."""
    material.move_deadline(
        db.session, actor(), viewer(), tender_id, body.deadline, body.reason, now()
    )
    db.session.expire_all()
    return TenderOut.of(readable_tender(tender_id))


@operation(
    "GET",
    TENDER + "/deadline-moves",
    summary="List the moves of a tender's deadline",
    roles=READERS,
    tag="tender material",
    response=DeadlineMoveOut,
    paged=True,
    response_description="A page of the moves, oldest first",
)
def list_deadline_moves(tender_id: int, page: int, per_page: int):
    """From, to and why, for every move after publication."""
    query = material.deadline_moves_query(readable_tender(tender_id))
    return page_of(db.session, query, page, per_page).mapped(DeadlineMoveOut.of)
