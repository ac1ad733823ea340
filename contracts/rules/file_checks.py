"""Files people upload (tender material, bid attachments, contract documents): what is kept.

The type comes from the content, never the name: `filetype` reads the magic bytes, and a zip
is told apart as DOCX, XLSX, ODT or ODS by its own entries (read with `zipfile`, bounded: no
entry is unpacked but the small ones that name the type). A PDF is opened with pypdf and
refused when it is encrypted (nobody could read it later), unreadable, or can run something
(JavaScript or a launch action anywhere in its objects). The name is cleaned (no path parts,
no control or direction characters, at most 200 characters) and its extension must agree with
the content, so a file called .pdf is a PDF.

Decided where the design was silent: the old binary .doc and .xls are refused. `filetype`
tells them only by the OLE container's first bytes (the same for .msg and .ppt), and they
carry macros without saying so; people send DOCX and XLSX today. A macro-enabled Office file
(.docm, .xlsm, a vbaProject part) is refused as a type not allowed, as is an empty file.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

from .problems import N_, InputRejected, Problem

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_NAME_LENGTH = 200

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

DOCUMENT_TYPES = frozenset({PDF, DOCX, XLSX, ODT, ODS})
# The extension each kind is written with, and the ones a name may already carry for it.
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt", ODS: ".ods"}
KIND_OF_EXTENSION = {ext: kind for kind, ext in EXTENSIONS.items()}
# What a person calls each kind in a refusal.
KIND_NAMES = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)", ODT: "ODT", ODS: "ODS"}

# Zips with more entries than this, or a type-naming entry larger than this, are no document.
MAX_ZIP_ENTRIES = 20_000
MAX_TYPES_ENTRY = 1024 * 1024
# PDF objects walked looking for scripts; more than any real document has.
MAX_PDF_OBJECTS = 500_000

FILE_REFUSAL_CODES = (
    "too_large",
    "empty",
    "type_not_allowed",
    "type_mismatch",
    "pdf_encrypted",
    "pdf_damaged",
    "pdf_javascript",
    "name",
)


class FileRefused(InputRejected):
    """A file that is not kept: `code` says which rule (FILE_REFUSAL_CODES), the problem why.

    An InputRejected, so the API answers it as it answers a refused report (413 for a file too
    large, 422 otherwise) and a page shows `problems[0]` in its language.
    """

    def __init__(self, code: str, template: str, **params):
        self.code = code
        self.template = template
        self.params = params
        super().__init__(
            [Problem(template, params, field="file")], status=413 if code == "too_large" else 422
        )
        self.message = self.problems[0].message


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    media_type: str
    size: int
    sha256: str


# Control characters (Cc), and format characters (Cf) such as U+202E, which turns
# "fakturagpj.exe" around on screen.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


def clean_filename(filename: str) -> str:
    """The name without folders, control or direction characters, at most 200 characters.

    Leading dots go (no hidden files, no ".."); the extension is kept when the name is cut.
    An empty result is refused (`name`).
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _UNSAFE_CATEGORIES)
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if not stem.strip():
        raise FileRefused("name", N_("The file has no name; name it and send it again."))
    extension = f".{extension}" if dot else ""
    if len(name) > MAX_NAME_LENGTH:
        keep = MAX_NAME_LENGTH - len(extension)
        if keep < 1:
            raise FileRefused("name", N_("The file's name is too long."))
        name = stem[:keep].rstrip() + extension
    return name


def _zip_kind(data: bytes) -> str | None:
    """DOCX, XLSX, ODT or ODS by the zip's entries; None for any other zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if len(entries) > MAX_ZIP_ENTRIES:
        return None
    names = {entry.filename: entry for entry in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "macros"
    if "mimetype" in names and names["mimetype"].file_size <= 100:
        try:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return None
        return {ODT: ODT, ODS: ODS}.get(declared)
    types = names.get("[Content_Types].xml")
    if types is None or types.file_size > MAX_TYPES_ENTRY:
        return None
    try:
        content_types = archive.read(types).decode("utf-8", "replace")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None
    if "macroenabled" in content_types.lower():
        return "macros"
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def content_kind(data: bytes) -> str | None:
    """The media type the bytes are, as far as this module knows kinds; None when unknown."""
    if data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return PDF
    guessed = filetype.guess(data[:8192])
    if data[:4] == b"PK\x03\x04" or (guessed and guessed.mime == "application/zip"):
        return _zip_kind(data)
    return None


_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_SCRIPT_ACTIONS = {"/JavaScript", "/Launch"}


def _carries_script(reader) -> bool:
    """Whether any object reachable from the trailer is JavaScript or a launch action."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    walked = 0
    while stack:
        item = stack.pop()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if _SCRIPT_KEYS & set(item.keys()) or item.get("/S") in _SCRIPT_ACTIONS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises many kinds on a broken file
        raise FileRefused(
            "pdf_damaged", N_("The PDF is damaged and cannot be read; send a new copy.")
        ) from None
    if encrypted:
        raise FileRefused(
            "pdf_encrypted",
            N_("The PDF is protected by a password; send it without the protection."),
        )
    try:
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        scripted = _carries_script(reader)
    except Exception:
        raise FileRefused(
            "pdf_damaged", N_("The PDF is damaged and cannot be read; send a new copy.")
        ) from None
    if scripted:
        raise FileRefused(
            "pdf_javascript",
            N_("The PDF contains JavaScript or starts programs; save it as a plain PDF."),
        )


def _allowed_names(allowed: frozenset[str] | set[str]) -> str:
    return ", ".join(KIND_NAMES[kind] for kind in EXTENSIONS if kind in allowed)


def check_file(
    data: bytes, filename: str, allowed: frozenset[str] | set[str] = DOCUMENT_TYPES
) -> CheckedFile:
    """The file as it will be kept (cleaned name, type from the content), or FileRefused."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused("too_large", N_("The file is too large. It may be at most 25 MB."))
    if not data:
        raise FileRefused("empty", N_("The file is empty."))
    name = clean_filename(filename)
    kind = content_kind(data)
    stem, dot, extension = name.rpartition(".")
    claimed = KIND_OF_EXTENSION.get(f".{extension.lower()}") if dot else None
    if kind == "macros":
        raise FileRefused(
            "type_not_allowed",
            N_("The file contains macros; save it without them (as %(kinds)s)."),
            kinds=_allowed_names(allowed),
        )
    if kind is None and claimed is not None:
        raise FileRefused(
            "type_mismatch",
            N_("The file is named %(extension)s, but its content is no %(kind)s."),
            extension=f".{extension.lower()}",
            kind=KIND_NAMES[claimed],
        )
    if kind is None or kind not in allowed:
        raise FileRefused(
            "type_not_allowed",
            N_("This kind of file is not accepted; send %(kinds)s."),
            kinds=_allowed_names(allowed),
        )
    if not dot:
        name = name[: MAX_NAME_LENGTH - len(EXTENSIONS[kind])] + EXTENSIONS[kind]
    elif claimed != kind:
        raise FileRefused(
            "type_mismatch",
            N_("The file is named %(extension)s, but its content is %(kind)s."),
            extension=f".{extension.lower()}",
            kind=KIND_NAMES[kind],
        )
    if kind == PDF:
        _check_pdf(data)
    return CheckedFile(
        filename=name, media_type=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
