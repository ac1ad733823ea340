"""Files for the upload tests, made here rather than kept as fixtures: plain PDFs, encrypted
and scripted ones (pypdf), and minimal DOCX, XLSX and ODT zips."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfWriter


def _blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf() -> bytes:
    return _written(_blank())


def encrypted_pdf() -> bytes:
    writer = _blank()
    writer.encrypt(user_password="hemmelig", owner_password="ejer", algorithm="AES-128")
    return _written(writer)


def javascript_pdf() -> bytes:
    writer = _blank()
    # pypdf 7 replaced `add_js` with actions (the brief's `writer.add_js`).
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert('hej');"))
    return _written(writer)


def launch_pdf() -> bytes:
    """A PDF whose OpenAction starts a program, written without the word JavaScript."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = _blank()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


# Entries stamped with a fixed time, so the same sample is the same bytes whenever it is made:
# a file stored and a sample made a second later compare equal.
STAMP = (2019, 1, 24, 9, 0, 0)


def _entry(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=STAMP)


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(_entry(name), text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="{part}" ContentType="{type}"/></Types>'
)


def docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                part="/word/document.xml",
                type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            "word/document.xml": "<w:document/>",
        }
    )


def docm() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                part="/word/document.xml",
                type="application/vnd.ms-word.document.macroEnabled.main+xml",
            ),
            "word/document.xml": "<w:document/>",
            "word/vbaProject.bin": "macro",
        }
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Pris"
    book.save(buffer)
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(_entry("content.xml"), "<office:document-content/>")
    return buffer.getvalue()
