"""What a file must be to be kept: its type read from the content, its name cleaned, and a PDF
that is encrypted, damaged or carries scripts refused with a reason (contracts.rules.file_checks)."""

from __future__ import annotations

import pytest

from contracts.rules import file_checks as checks
from contracts.rules.file_checks import FileRefused, check_file

from . import samples


def refusal(data: bytes, name: str, **kwargs) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        check_file(data, name, **kwargs)
    return caught.value


def test_a_pdf_is_kept_with_its_type_size_and_hash():
    data = samples.pdf()
    checked = check_file(data, "Kravspecifikation.pdf")
    assert checked.media_type == "application/pdf"
    assert checked.size == len(data)
    assert len(checked.sha256) == 64
    assert checked.filename == "Kravspecifikation.pdf"


def test_a_file_named_pdf_that_is_not_one_is_a_type_mismatch():
    refused = refusal(b"MZ\x90\x00 this is a program, not a PDF" * 10, "tilbud.pdf")
    assert refused.code == "type_mismatch"
    assert refused.status == 422
    assert ".pdf" in refused.message


def test_a_pdf_named_docx_is_a_type_mismatch():
    assert refusal(samples.pdf(), "kontrakt.docx").code == "type_mismatch"


def test_an_encrypted_pdf_is_refused():
    refused = refusal(samples.encrypted_pdf(), "hemmelig.pdf")
    assert refused.code == "pdf_encrypted"
    assert "password" in refused.message


def test_a_pdf_with_javascript_is_refused():
    refused = refusal(samples.javascript_pdf(), "bilag.pdf")
    assert refused.code == "pdf_javascript"


def test_a_pdf_that_launches_a_program_is_refused():
    assert refusal(samples.launch_pdf(), "bilag.pdf").code == "pdf_javascript"


def test_a_damaged_pdf_is_refused():
    data = samples.pdf()
    assert refusal(data[: len(data) // 3], "halv.pdf").code == "pdf_damaged"


def test_a_docx_and_an_xlsx_are_told_by_their_content():
    assert check_file(samples.docx(), "Kontraktudkast.docx").media_type == checks.DOCX
    assert check_file(samples.xlsx(), "Tilbudsliste.xlsx").media_type == checks.XLSX
    assert check_file(samples.odt(), "Beskrivelse.odt").media_type == checks.ODT


def test_a_workbook_named_as_a_word_file_is_a_type_mismatch():
    refused = refusal(samples.xlsx(), "Kontraktudkast.docx")
    assert refused.code == "type_mismatch"
    assert "Excel" in refused.message


def test_a_name_without_extension_gets_the_content_s():
    assert check_file(samples.docx(), "Kontraktudkast").filename == "Kontraktudkast.docx"


def test_macros_are_not_allowed():
    assert refusal(samples.docm(), "makro.docx").code == "type_not_allowed"


def test_a_plain_zip_or_text_is_not_allowed():
    assert refusal(b"just some text\n", "noter.txt").code == "type_not_allowed"


def test_a_kind_outside_the_allowed_set_is_refused():
    refused = refusal(samples.xlsx(), "priser.xlsx", allowed={checks.PDF})
    assert refused.code == "type_not_allowed"
    assert "PDF" in refused.message


def test_an_empty_file_is_refused():
    assert refusal(b"", "tom.pdf").code == "empty"


def test_a_file_over_25_mb_is_refused_as_too_large():
    refused = refusal(b"%PDF-" + b"0" * checks.MAX_FILE_BYTES, "stor.pdf")
    assert refused.code == "too_large"
    assert refused.status == 413


def test_path_parts_and_control_characters_leave_the_name():
    name = "../../etc/\x00pass\x1bwd\u202egpj.pdf"
    assert check_file(samples.pdf(), name).filename == "passwdgpj.pdf"
    assert check_file(samples.pdf(), "C:\\Users\\a\\Tilbud.pdf").filename == "Tilbud.pdf"
    assert check_file(samples.pdf(), "..\\..\\.hidden.pdf").filename == "hidden.pdf"


def test_a_long_name_is_cut_to_200_characters_keeping_the_extension():
    name = check_file(samples.pdf(), "a" * 400 + ".pdf").filename
    assert len(name) == 200
    assert name.endswith(".pdf")


def test_a_name_of_nothing_but_folders_is_refused():
    assert refusal(samples.pdf(), "../../").code == "name"
    assert refusal(samples.pdf(), "\x00\x01").code == "name"
