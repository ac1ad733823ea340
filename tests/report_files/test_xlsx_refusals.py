"""Workbooks the portal never opens: macros, encryption, damage, zip bombs and XML entities are
refused with a clear 4xx by the page and the API, and the report before stays as it was."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from contracts.rules.problems import InputRejected
from contracts.rules.report_xlsx import read_upload
from tests.report_files.reporting import (
    SAMPLES,
    XLSX,
    page_client,
    people,
    put,
    stored,
    upload,
    versions,
)

ENGLISH_SAMPLE = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes()


def workbook() -> bytes:
    """A good report workbook: the sample's header and first line."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Deltager", "Timer planlagt", "Timer leveret", "Status"])
    sheet.append(["DL-4Q7K2", 148, 131.5, "Aktiv"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezipped(data: bytes, change=None, add: dict[str, bytes] | None = None) -> bytes:
    """The workbook's parts zipped again, each passed through `change(name, content)`, plus `add`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(info.filename, content) if change else content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def xlsm() -> bytes:
    def macro_enabled(name, content):
        if name == "[Content_Types].xml":
            return content.replace(
                b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
            )
        return content

    return rezipped(
        workbook(), macro_enabled, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 500}
    )


def vba_project_only() -> bytes:
    return rezipped(workbook(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 500})


def truncated() -> bytes:
    data = workbook()
    return data[: len(data) // 2]


def garbled_sheet() -> bytes:
    return rezipped(
        workbook(),
        lambda name, content: b"<worksheet><sheetData><row" if "sheet1" in name else content,
    )


def encrypted() -> bytes:
    # Office wraps an encrypted workbook in an OLE2 compound file (EncryptionInfo, EncryptedPackage).
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096


def bomb() -> bytes:
    """A workbook whose sheet unpacks to 80 MB of spaces from under a megabyte."""
    return rezipped(workbook(), add={"xl/worksheets/padding.xml": b" " * (80 * 1024 * 1024)})


def entities() -> bytes:
    """Billion laughs in the sheet: defusedxml refuses any entity declaration."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )

    def with_entities(name, content):
        if name == "xl/worksheets/sheet1.xml":
            body = content.split(b"?>", 1)[-1]  # after the XML declaration, if any
            assert b"DL-4Q7K2" in body
            return laughs + body.replace(b"DL-4Q7K2", b"&lol2;")
        return content

    return rezipped(workbook(), with_entities)


REFUSED = {
    "xlsm": (xlsm, "macros"),
    "vba project": (vba_project_only, "macros"),
    "truncated": (truncated, "damaged"),
    "garbled sheet": (garbled_sheet, "damaged"),
    "encrypted": (encrypted, "encrypted"),
    "zip bomb": (bomb, "64 MB"),
    "xml entities": (entities, "damaged"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_the_reader_refuses_the_workbook_saying_why(name):
    make, words = REFUSED[name]
    with pytest.raises(InputRejected) as refused:
        read_upload(make())
    assert refused.value.status in (413, 422)
    assert words in refused.value.problems[0].template


def test_a_good_workbook_is_read():
    read = read_upload(workbook())
    assert not read.problems and read.lines[0].hours_delivered == 131.5


def test_every_refused_workbook_leaves_the_report_before_unchanged_by_page_and_api(app):
    team = people(app)
    client = app.test_client()
    assert (
        put(client, team.provider_token, team.contract_id, ENGLISH_SAMPLE, "text/csv").status_code
        == 200
    )
    before, versions_before = stored(app, team.contract_id), versions(app, team.contract_id)
    browser = page_client(app)
    for name, (make, _words) in REFUSED.items():
        data = make()
        answer = put(client, team.provider_token, team.contract_id, data, XLSX)
        assert answer.status_code in (413, 422), name
        assert answer.get_json()["errors"][0]["message"], name
        page = upload(browser, team.contract_id, data, "rapport.xlsx")
        assert page.status_code in (413, 422), name
        text = page.get_data(as_text=True)
        assert "Projektmappen" in text and "Intet blev gemt" in text, name
        assert (
            stored(app, team.contract_id) == before
            and versions(app, team.contract_id) == versions_before
        )


def test_openpyxl_reads_xml_through_defusedxml():
    from openpyxl import DEFUSEDXML

    assert DEFUSEDXML, "install defusedxml (setup.cfg pins it): openpyxl would expand entities"
