"""Reading a file sent to the API as multipart/form-data: the `file` part and the text fields
beside it, with the problems answered as the API answers any (415 not multipart, 422 a part
missing, as InputRejected). The 25 MB limit is the route's (`file_uploads.accepts_files`)."""

from __future__ import annotations

from datetime import datetime

from flask import request
from pydantic import BaseModel

from contracts.models import StoredFile
from contracts.rules.problems import InputRejected, Problem

from .tender_schemas import Moment


def multipart_schema(fields: dict[str, dict], required: tuple[str, ...]) -> dict:
    """The OpenAPI request body of a file and its fields, for `operation(raw_body=...)`."""
    return {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", *required],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, DOCX, XLSX, ODT or ODS, at most 25 MB; the type "
                        "is read from the content and must agree with the name's extension",
                    },
                    **fields,
                },
            }
        }
    }


def uploaded(fields: tuple[str, ...]) -> tuple[bytes, str, dict[str, str]]:
    """The file's bytes and name and the text fields; InputRejected when the file is missing."""
    if request.mimetype != "multipart/form-data":
        raise InputRejected(
            [Problem("Send the file as multipart/form-data with a 'file' part.")], status=415
        )
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InputRejected(
            [Problem("A file part with the file's name is required.", field="file")]
        )
    return upload.read(), upload.filename, {name: request.form.get(name, "") for name in fields}


class StoredFileOut(BaseModel):
    """What an answer says of a stored file: its cleaned name, the type read from its content,
    its size in bytes, its SHA-256 and when it was added."""

    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: Moment


def file_fields(stored: StoredFile, added_at: datetime) -> dict:
    """A StoredFileOut's fields of a stored file."""
    return {
        "filename": stored.filename,
        "media_type": stored.media_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "added_at": added_at,
    }
