"""Exports open in Danish Excel as they should and never run a formula someone typed in."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.documents.exports import csv_bytes, neutralised, xlsx_bytes


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+45 1234", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","klik")'],
)
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(text):
    assert neutralised(text) == "'" + text
    data = csv_bytes(["name"], [[text]]).decode("utf-8-sig")
    assert data.splitlines()[1].strip('"').startswith("'")


def test_csv_is_what_danish_excel_opens(tmp_path):
    data = csv_bytes(
        ["Leverandør", "I alt", "Dato", "Antal"],
        [["Nyt Fodfæste A/S", Decimal("123898.04"), date(2019, 2, 5), 7]],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert (
        data.decode("utf-8-sig")
        == "Leverandør;I alt;Dato;Antal\r\nNyt Fodfæste A/S;123898,04;05-02-2019;7\r\n"
    )


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    data = xlsx_bytes(
        "Fakturaer", ["Leverandør", "I alt"], [["=cmd|' /C calc'!A0", Decimal("123898.04")]]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == pytest.approx(123898.04) and sheet["B2"].number_format == "#,##0.00"
