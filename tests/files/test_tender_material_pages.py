"""The tender page's material, deadline moves and questions as procurement and providers use
them: upload in versions, read and download, ask before the question deadline, answer and
publish without the asker."""

from __future__ import annotations

import io
from datetime import date, time

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import csrf_token
from tests.factories import logged_in_client
from tests.procurement.conftest import set_clock

from . import samples


def _page(client, tender_id):
    return client.get(f"/procurement/tenders/{tender_id}")


def _post(client, tender_id, path, fields):
    token = csrf_token(_page(client, tender_id).get_data(as_text=True))
    return client.post(
        f"/procurement/tenders/{tender_id}{path}",
        data={**fields, "csrf_token": token},
        follow_redirects=True,
    )


def _upload(client, tender_id, data, filename, **fields):
    token = csrf_token(_page(client, tender_id).get_data(as_text=True))
    values = {
        "csrf_token": token,
        "title": "Kravspecifikation",
        "document_type": "technicalSpecifications",
        "file": FileStorage(io.BytesIO(data), filename=filename),
        **fields,
    }
    boundary, body = encode_multipart(values)
    return client.post(
        f"/procurement/tenders/{tender_id}/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )


def _clients(world):
    staff = logged_in_client(world.app, "indkob-side@example.dk", "procurement")
    first = logged_in_client(world.app, "a-side@example.dk", "provider", world.provider_ids[0])
    other = logged_in_client(world.app, "b-side@example.dk", "provider", world.provider_ids[1])
    return staff, first, other


def test_procurement_uploads_versions_and_providers_read_them(world):
    tender = world.tender()
    staff, first, other = _clients(world)
    page = _upload(staff, tender, samples.pdf(), "krav.pdf", change_note="Første udgave")
    assert "Dokumentet er lagt op." in page.get_data(as_text=True)
    refused = _upload(staff, tender, samples.docx(), "krav.docx")
    assert "sig hvad der er ændret" in refused.get_data(as_text=True).lower()
    _upload(staff, tender, samples.docx(), "krav.docx", change_note="Afsnit 3 er skrevet om")
    text = _page(other, tender).get_data(as_text=True)
    assert "Udbudsmateriale" in text
    assert "Kravspecifikation" in text
    assert "Ny version 24-01-2019" in text
    assert "Afsnit 3 er skrevet om" in text
    assert "Tidligere versioner (1)" in text
    download = other.get(f"/procurement/tenders/{tender}/documents/1/versions/1/file")
    assert download.data == samples.pdf()
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert other.get(f"/procurement/tenders/{tender}/documents/1/file").data == samples.docx()


def test_a_draft_s_material_is_not_for_providers(world):
    tender = world.tender(publish=False)
    staff, first, _ = _clients(world)
    _upload(staff, tender, samples.pdf(), "krav.pdf")
    assert first.get(f"/procurement/tenders/{tender}/documents/1/file").status_code == 404


def test_a_file_of_26_mb_is_a_413_in_danish_and_stores_nothing(world):
    tender = world.tender()
    staff, _, _ = _clients(world)
    answer = _upload(staff, tender, b"%PDF-1.7\n" + b"0" * (26 * 1024 * 1024), "stor.pdf")
    assert answer.status_code == 413
    assert "Filen er for stor. Den må højst være 25 MB." in answer.get_data(as_text=True)
    assert "Intet udbudsmateriale endnu." in _page(staff, tender).get_data(as_text=True)


def test_a_refused_file_is_said_in_danish(world):
    tender = world.tender()
    staff, _, _ = _clients(world)
    text = _upload(staff, tender, samples.encrypted_pdf(), "k.pdf", change_note="x")
    assert "adgangskode" in text.get_data(as_text=True)


def test_questions_stay_with_their_asker_until_published_without_it(world):
    tender = world.tender()
    staff, first, other = _clients(world)
    asked = _post(first, tender, "/questions", {"question": "Hvad koster Leverandør 0s bus?"})
    assert "Dit spørgsmål er sendt" in asked.get_data(as_text=True)
    assert "Leverandør 0s bus" in _page(first, tender).get_data(as_text=True)
    assert "Leverandør 0s bus" not in _page(other, tender).get_data(as_text=True)
    staff_page = _page(staff, tender).get_data(as_text=True)
    assert "Leverandør 0s bus" in staff_page
    assert "Fra Leverandør 0" in staff_page
    published = _post(
        staff,
        tender,
        "/questions/1/answer",
        {
            "public_question": "Hvad koster transport?",
            "answer": "Den betaler leverandøren.",
            "publish": "1",
        },
    )
    assert "Svaret er offentliggjort." in published.get_data(as_text=True)
    seen = _page(other, tender).get_data(as_text=True)
    assert "Spørgsmål 1" in seen and "Hvad koster transport?" in seen
    assert "Den betaler leverandøren." in seen
    assert "Leverandør 0" not in seen


def test_after_the_question_deadline_asking_is_refused_with_a_clear_message(world):
    tender = world.tender()  # bids due 15 March 12:00, questions by 9 March 12:00
    _, first, _ = _clients(world)
    set_clock(world.app, date(2019, 3, 9), time(12, 0))
    page = _page(first, tender).get_data(as_text=True)
    assert "Fristen for spørgsmål er overskredet" in page
    refused = _post(first, tender, "/questions", {"question": "For sent?"})
    assert "fristen for spørgsmål var 09-03-2019 12:00" in refused.get_data(as_text=True)


def test_a_moved_deadline_needs_a_reason_and_every_provider_sees_it(world):
    tender = world.tender()
    staff, _, other = _clients(world)
    refused = _post(staff, tender, "/deadline", {"deadline": "2019-03-22T12:00"})
    assert "sig hvorfor fristen flyttes" in refused.get_data(as_text=True)
    _post(staff, tender, "/deadline", {"deadline": "2019-03-22T12:00", "reason": "Nyt bilag"})
    seen = _page(other, tender).get_data(as_text=True)
    assert "Fristen er flyttet" in seen
    assert "15-03-2019 12:00" in seen and "22-03-2019 12:00" in seen and "Nyt bilag" in seen
