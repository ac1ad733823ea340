"""A contract's documents: procurement attaches the signed contract, its annexes and each
amendment's document; the contract's provider sees and downloads its own, another provider
gets 404 (the contract does not exist for it), and a bad file is refused with nothing stored."""

from __future__ import annotations

import pytest

from contracts.models import ContractDocument, StoredFile
from tests.api.conftest import bearer, count, make_token  # noqa: F401  (the fixture is shared)
from tests.bid_files.conftest import send_big_file, send_file
from tests.conftest import csrf_token, login
from tests.files.samples import docx, encrypted_pdf, javascript_pdf, pdf
from tests.pages import PageParts
from tests.procurement.conftest import Api


def test_the_provider_sees_its_contracts_documents_and_another_provider_gets_404(
    app, client, signed
):
    api = Api(client)
    docs = f"{signed['url']}/documents"
    added = send_file(
        client,
        docs,
        signed["staff"],
        pdf(),
        "Kontrakt underskrevet.pdf",
        document_type="contractSigned",
    )
    assert added.status_code == 201, added.get_json()
    annex = send_file(
        client,
        docs,
        signed["staff"],
        docx(),
        "Tillæg 1.docx",
        document_type="contractAnnexe",
        amendment_id=str(signed["amendment"]),
        title="Tillæg om forlængelse",
    )
    assert annex.status_code == 201, annex.get_json()
    assert annex.get_json()["amendment_id"] == signed["amendment"]
    for token in (signed["a"], signed["finance"], signed["staff"]):
        listed = api("GET", docs, token)[1]["items"]
        assert [d["title"] for d in listed] == [
            "Kontrakt underskrevet.pdf",
            "Tillæg om forlængelse",
        ]
        got = client.get(f"{docs}/{added.get_json()['id']}", headers=bearer(token))
        assert got.status_code == 200 and got.data == pdf()
    assert api("GET", docs, signed["b"])[0] == 404
    assert (
        client.get(f"{docs}/{added.get_json()['id']}", headers=bearer(signed["b"])).status_code
        == 404
    )
    # Only procurement attaches.
    refused = send_file(client, docs, signed["a"], pdf(), "x.pdf", document_type="contractSigned")
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.4 not really", "Kontrakt.pdf", "PDF"),
        (b"hello, I am text", "Kontrakt.pdf", ""),
        (encrypted_pdf(), "Kontrakt.pdf", "password"),
        (javascript_pdf(), "Kontrakt.pdf", "JavaScript"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(app, client, signed, data, name, words):
    got = send_file(
        client,
        f"{signed['url']}/documents",
        signed["staff"],
        data,
        name,
        document_type="contractSigned",
    )
    assert got.status_code == 422, got.get_json()
    assert words in got.get_json()["errors"][0]["message"]
    assert count(app, ContractDocument) == 0 and count(app, StoredFile) == 0


def test_a_file_of_26_mb_is_413_and_nothing_is_stored(app, client, signed):
    big = pdf() + b"\n" * (26 * 1024 * 1024)
    got = send_big_file(
        client,
        f"{signed['url']}/documents",
        signed["staff"],
        big,
        "Stor.pdf",
        document_type="contractSigned",
    )
    assert got.status_code == 413
    assert "25 MB" in got.get_json()["errors"][0]["message"]
    assert count(app, StoredFile) == 0


def test_the_contract_page_attaches_and_the_provider_downloads_from_its_page(
    app, client, signed, make_user
):
    staff = app.test_client()
    login(staff, "indkob@example.dk")
    page_url = f"/procurement/contracts/{signed['id']}"
    token = csrf_token(staff.get(page_url).get_data(as_text=True))
    form = {
        "csrf_token": token,
        "document_type": "contractSigned",
        "title": "Underskrevet kontrakt",
        "amendment": "",
        "file": (__import__("io").BytesIO(pdf()), "kontrakt.pdf"),
    }
    sent = staff.post(f"{page_url}/documents", data=form, content_type="multipart/form-data")
    assert sent.status_code == 302
    shown = PageParts(staff.get(page_url).get_data(as_text=True)).text
    assert "Underskrevet kontrakt" in shown and "Underskrevet kontrakt" in shown
    bad = dict(form, file=(__import__("io").BytesIO(b"not a pdf"), "kontrakt.pdf"))
    refused = staff.post(f"{page_url}/documents", data=bad, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert count(app, StoredFile) == 1
    mine_url = f"/provider/contracts/{signed['id']}/documents"
    provider = app.test_client()
    login(provider, "a@example.dk")
    mine = provider.get(mine_url)
    assert mine.status_code == 200 and "Underskrevet kontrakt" in mine.get_data(as_text=True)
    assert provider.get(f"{mine_url}/1").data == pdf()
    # Another provider: the contract and its documents do not exist; the staff's URLs are not its.
    other = app.test_client()
    login(other, "b@example.dk")
    assert other.get(mine_url).status_code == 404
    assert other.get(f"{mine_url}/1").status_code == 404
    assert other.get(f"{page_url}/documents/1").status_code == 403


def test_the_list_is_answered_a_page_at_a_time(app, client, signed):
    api = Api(client)
    docs = f"{signed['url']}/documents"
    for name in ("Bilag 1.pdf", "Bilag 2.pdf", "Bilag 3.pdf"):
        sent = send_file(client, docs, signed["staff"], pdf(), name, document_type="contractAnnexe")
        assert sent.status_code == 201
    pages = [api("GET", f"{docs}?per_page=2&page={n}", signed["a"])[1] for n in (1, 2)]
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [(1, 2, 3), (2, 2, 3)]
    assert [i["title"] for p in pages for i in p["items"]] == [
        "Bilag 1.pdf",
        "Bilag 2.pdf",
        "Bilag 3.pdf",
    ]
