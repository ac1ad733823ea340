"""The OCDS export names a contract's documents (with their documentType codes from the 1.1.5
codelist, an amendment's in that amendment's release) and validates against OCDS 1.1.5 and the
Lots extension with zero errors; a bid's files are never in it."""

from __future__ import annotations

from contracts.models.attachments import CONTRACT_DOCUMENT_TYPES
from tests.bid_files.conftest import AFTER_DEADLINE, send_file
from tests.files.samples import docx, pdf
from tests.procurement.conftest import Api, set_clock
from tests.procurement.ocds_schema import schema_errors

# The codes of the OCDS 1.1.5 documentType codelist's "contract" section (codelists/documentType.csv).
CONTRACT_CODES = {
    "contractNotice",
    "contractSigned",
    "contractArrangements",
    "contractSchedule",
    "contractAnnexe",
    "contractGuarantees",
    "subContract",
    "contractSummary",
    "contractDraft",
}


def test_every_kind_of_contract_document_is_a_codelist_code():
    assert set(CONTRACT_DOCUMENT_TYPES) <= CONTRACT_CODES


def test_the_contracts_documents_are_exported_valid_with_codelist_types(
    app,
    client,
    signed,
    validator,
):
    api = Api(client)
    docs = f"{signed['url']}/documents"
    send_file(client, docs, signed["staff"], pdf(), "Kontrakt.pdf", document_type="contractSigned")
    send_file(
        client,
        docs,
        signed["staff"],
        docx(),
        "Tillæg.docx",
        document_type="contractAnnexe",
        amendment_id=str(signed["amendment"]),
    )
    status, package = api("GET", "/api/v1/ocds/releases", signed["staff"])
    assert status == 200
    assert schema_errors(validator, package) == []
    by_tag = {}
    for release in package["releases"]:
        for contract in release.get("contracts", []):
            for document in contract.get("documents", []):
                by_tag.setdefault(tuple(release["tag"]), []).append(document)
    signed_docs = [d for tag, ds in by_tag.items() if "contractAmendment" not in tag for d in ds]
    amendment_docs = by_tag[("contractAmendment",)]
    assert [(d["documentType"], d["title"]) for d in signed_docs] == [
        ("contractSigned", "Kontrakt.pdf")
    ]
    assert [(d["documentType"], d["title"]) for d in amendment_docs] == [
        ("contractAnnexe", "Tillæg.docx")
    ]
    assert f"amendment {signed['amendment']}" in amendment_docs[0]["description"]
    assert signed_docs[0]["format"] == "application/pdf"


def test_a_bids_files_are_never_in_the_export(app, client, bidding, validator):
    api = Api(client)
    sent = send_file(
        client, bidding.files, bidding.a, pdf(), "Hemmelig metode.pdf", kind="method_description"
    )
    assert sent.status_code == 201
    set_clock(app, AFTER_DEADLINE)
    for token in (bidding.staff, bidding.finance):
        status, package = api("GET", "/api/v1/ocds/releases", token)
        assert status == 200 and schema_errors(validator, package) == []
        assert "Hemmelig metode" not in str(package)
