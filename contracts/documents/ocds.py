"""The OCDS 1.1 release package (Open Contracting Data Standard) built from plain data.

One contracting process per tender (its ocid `<prefix>-tender-<id>`) and one per contract
entered without a tender in the portal (`<prefix>-contract-<id>`, the 2016 and 2018
agreements), with releases:
- `tender` when the tender is published (its `tender` object: ocds_tender), `tenderCancellation`
  when it is cancelled;
- `award` when it is awarded (one award per awarded bid, `relatedLots` naming its lot;
  `pending` during the standstill, `active` once concluded);
- `contract` for each contract, and `contractAmendment` for each amendment (an extension
  carries the new period and the amendment's rationale).
A contract's documents are in `contracts[].documents` with their documentType codes
(`contractSigned`, `contractAnnexe`, ...): the contract's own in its contract release, an
amendment's in that amendment's release, described as the amendment's. OCDS 1.1.5 gives an
amendment no documents of its own, and its documentType codelist has no code for an
amendment's document, so the document keeps the code of what it is (an annex, a signed
contract) and its description names the amendment. No `url`: the files are served only to
whoever may see the contract.
A contract paid by milestones carries its terms in `contracts[].milestones` (ocds_milestones).
A re-tender's releases name the processes it replaces in `relatedProcesses` (relationship
`prior`, scheme `ocid`). Bids are never exported, so the export cannot unseal one.
Amounts, dates and periods are written as ocds_formats says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .ocds_formats import money, period, rfc3339
from .ocds_milestones import MilestoneData, milestone_objects
from .ocds_tender import TenderData, tender_object

OCDS_VERSION = "1.1"
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"


@dataclass(frozen=True)
class Party:
    """An organisation: the buyer or a provider, identified by its CVR number."""

    name: str
    cvr: str

    @property
    def id(self) -> str:
        return f"DK-CVR-{self.cvr}"


@dataclass(frozen=True)
class AwardData:
    id: str
    lot_number: int | None
    supplier: Party
    date: datetime
    status: str
    rank: int | None = None


@dataclass(frozen=True)
class AmendmentData:
    id: int
    date: datetime
    rationale: str
    description: str
    new_end_on: date | None


@dataclass(frozen=True)
class DocumentData:
    """A contract's document: its OCDS documentType code, and the amendment it belongs to."""

    id: int
    document_type: str
    title: str
    media_type: str
    published_at: datetime
    amendment_id: int | None = None


@dataclass(frozen=True)
class ContractData:
    id: int
    reference: str
    award_id: str
    title: str
    status: str
    start_on: date
    end_on: date
    max_end_on: date
    ceiling: Decimal
    signed_at: datetime
    supplier: Party
    amendments: list[AmendmentData] = field(default_factory=list)
    # The end date before the first amendment, so the contract release shows the contract as signed.
    original_end_on: date | None = None
    # The signed contract, its annexes, and the amendments' documents (not their files: the
    # portal serves those only to whoever may see the contract).
    documents: list[DocumentData] = field(default_factory=list)
    # The milestone terms of a contract paid by milestones (none for the others) and its
    # clawback window.
    milestones: list[MilestoneData] = field(default_factory=list)
    clawback_days: int | None = None


@dataclass(frozen=True)
class Process:
    """One contracting process: a tender (or a contract entered without one), its awards and contracts."""

    key: str
    tender: TenderData | None
    awards: list[AwardData]
    contracts: list[ContractData]
    awarded_at: datetime | None = None
    prior: list[str] = field(default_factory=list)


def _organization(party: Party, roles: list[str]) -> dict:
    return {
        "id": party.id,
        "name": party.name,
        "roles": roles,
        "identifier": {"scheme": "DK-CVR", "id": party.cvr, "legalName": party.name},
    }


def _reference(party: Party) -> dict:
    return {"id": party.id, "name": party.name}


class _Releases:
    """Collects a process's releases with what every release carries."""

    def __init__(self, prefix: str, process: Process, buyer: Party):
        self.ocid = f"{prefix}-{process.key}"
        self.prefix = prefix
        self.process = process
        self.buyer = buyer
        self.items: list[dict] = []

    def add(
        self, suffix: str, tags: list[str], when: datetime, suppliers: list[Party], **content
    ) -> None:
        parties = [_organization(self.buyer, ["buyer", "procuringEntity"])]
        for supplier in dict.fromkeys(suppliers):
            parties.append(_organization(supplier, ["supplier"]))
        release = {
            "ocid": self.ocid,
            "id": f"{self.ocid}-{suffix}",
            "date": rfc3339(when),
            "tag": tags,
            "initiationType": "tender",
            "language": "da",
            "parties": parties,
            "buyer": _reference(self.buyer),
            **content,
        }
        if self.process.prior:
            release["relatedProcesses"] = [
                {
                    "id": str(n),
                    "relationship": ["prior"],
                    "scheme": "ocid",
                    "identifier": f"{self.prefix}-{key}",
                    "title": title,
                }
                for n, (key, title) in enumerate(self.process.prior, start=1)
            ]
        self.items.append(release)


def _award_object(award: AwardData) -> dict:
    out = {
        "id": award.id,
        "status": award.status,
        "date": rfc3339(award.date),
        "suppliers": [_reference(award.supplier)],
    }
    if award.lot_number is not None:
        out["relatedLots"] = [str(award.lot_number)]
    if award.rank is not None:
        out["description"] = f"Rank {award.rank}"
    return out


def _document_object(document: DocumentData) -> dict:
    out = {
        "id": f"document-{document.id}",
        "documentType": document.document_type,
        "title": document.title,
        "format": document.media_type,
        "datePublished": rfc3339(document.published_at),
    }
    if document.amendment_id is not None:
        out["description"] = f"Document of amendment {document.amendment_id}"
    return out


def _contract_object(
    contract: ContractData, end_on: date | None = None, amendment_id: int | None = None
) -> dict:
    """The contract as of a release: with the contract's own documents, or (in an amendment's
    release) that amendment's documents; OCDS merges documents across releases by their id."""
    out = {
        "id": contract.reference,
        "awardID": contract.award_id,
        "title": contract.title,
        "status": contract.status,
        "period": period(contract.start_on, end_on or contract.end_on, contract.max_end_on),
        "value": money(contract.ceiling),
        "dateSigned": rfc3339(contract.signed_at),
    }
    documents = [d for d in contract.documents if d.amendment_id == amendment_id]
    if documents:
        out["documents"] = [_document_object(d) for d in documents]
    # The terms as signed, with the contract's own documents; amendments do not change them.
    if amendment_id is None and contract.milestones:
        out["milestones"] = milestone_objects(contract.milestones, contract.clawback_days)
    return out


def process_releases(prefix: str, process: Process, buyer: Party) -> list[dict]:
    """Every release of one contracting process, oldest first."""
    out = _Releases(prefix, process, buyer)
    tender = process.tender
    if tender is not None:
        out.add(
            "tender",
            ["tender"],
            tender.published_at,
            [],
            tender=tender_object(tender, "active" if tender.status != "draft" else "planning"),
        )
        if tender.cancelled_at is not None:
            cancelled = tender_object(tender, "cancelled")
            cancelled["statusDetails"] = tender.cancelled_reason or ""
            out.add(
                "cancellation", ["tenderCancellation"], tender.cancelled_at, [], tender=cancelled
            )
    if process.awards and process.awarded_at is not None:
        out.add(
            "award",
            ["award"] if tender else ["award", "contract"],
            process.awarded_at,
            [a.supplier for a in process.awards],
            **({"tender": {"id": tender.reference}} if tender else {}),
            awards=[_award_object(a) for a in process.awards],
            **(
                {}
                if tender
                else {
                    "contracts": [_contract_object(c, c.original_end_on) for c in process.contracts]
                }
            ),
        )
    for contract in process.contracts:
        if tender is not None:
            out.add(
                f"contract-{contract.id}",
                ["contract"],
                contract.signed_at,
                [contract.supplier],
                contracts=[_contract_object(contract, contract.original_end_on)],
            )
        end_on = contract.original_end_on
        for amendment in contract.amendments:
            end_on = amendment.new_end_on or end_on
            changed = _contract_object(contract, end_on, amendment.id)
            changed["amendments"] = [
                {
                    "id": str(amendment.id),
                    "date": rfc3339(amendment.date),
                    "rationale": amendment.rationale,
                    "description": amendment.description,
                }
            ]
            out.add(
                f"amendment-{amendment.id}",
                ["contractAmendment"],
                amendment.date,
                [contract.supplier],
                contracts=[changed],
            )
    return out.items


def release_package(
    prefix: str, processes: list[Process], buyer: Party, published: datetime, uri: str
) -> dict:
    """The release package of every process, with the Lots extension declared."""
    releases = []
    for process in processes:
        releases += process_releases(prefix, process, buyer)
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [LOTS_EXTENSION],
        "publishedDate": rfc3339(published),
        "publisher": {"name": buyer.name, "scheme": "DK-CVR", "uid": buyer.cvr},
        "releases": releases,
    }
