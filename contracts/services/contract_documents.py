"""A contract's documents: the signed contract, its annexes, and each amendment's document.

Procurement attaches them; whoever sees the contract (`scope.contracts`: procurement, finance,
the contract's own provider) sees and downloads them, and for anyone else the contract and its
documents do not exist (404, never 403). The kinds are the OCDS documentType codes for
contracts, so the export names them as they are stored (`models.attachments`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Amendment, Contract, StoredFile
from ..models.attachments import CONTRACT_DOCUMENT_TYPES, ContractDocument
from ..rules.problems import N_, Problem
from . import DomainError, NotFound, contract_register, scope
from .audit import Actor, record
from .paging import Page, page_of
from .scope import Viewer
from .stored_files import store_file

MAX_TITLE = 200


def _visible(viewer: Viewer, contract_id: int) -> sa.Select:
    return (
        sa.select(ContractDocument)
        .options(selectinload(ContractDocument.file), selectinload(ContractDocument.amendment))
        .where(
            ContractDocument.contract_id == contract_id,
            ContractDocument.contract_id.in_(scope.contracts(viewer, sa.select(Contract.id))),
        )
        .order_by(ContractDocument.amendment_id.is_not(None), ContractDocument.id)
    )


def document_page(
    session: Session, viewer: Viewer, contract_id: int, page: int, per_page: int
) -> Page[ContractDocument]:
    """One page of a contract's documents, its own first and then its amendments'."""
    contract_register.get_contract(session, viewer, contract_id)  # 404 when not the viewer's
    return page_of(session, _visible(viewer, contract_id), page, per_page)


def documents_of(session: Session, viewer: Viewer, contract_id: int) -> list[ContractDocument]:
    """Every document of a contract the viewer sees (none of one it does not)."""
    return list(session.scalars(_visible(viewer, contract_id)))


def get_document(
    session: Session, viewer: Viewer, contract_id: int, document_id: int
) -> ContractDocument:
    """One document of a contract the viewer sees; 404 alike for another's or none."""
    found = session.scalar(_visible(viewer, contract_id).where(ContractDocument.id == document_id))
    if found is None:
        raise NotFound(N_("no such document"), "document_id")
    return found


def add_document(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    document_type: str,
    data: bytes,
    filename: str,
    now: datetime,
    title: str | None = None,
    amendment_id: int | None = None,
) -> ContractDocument:
    """Procurement attaches a checked file to a contract, or to one of its amendments.

    A refused file (FileRefused) or a refused kind stores nothing."""
    if not viewer.may("procurement"):
        raise DomainError(N_("only procurement may do this"), status=403)
    contract = contract_register.get_contract(session, viewer, contract_id)
    problems = []
    if document_type not in CONTRACT_DOCUMENT_TYPES:
        problems.append(
            Problem(
                N_("the kind of document is one of: %(kinds)s"),
                {"kinds": ", ".join(CONTRACT_DOCUMENT_TYPES)},
                field="document_type",
            )
        )
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        problems.append(Problem(N_("The title is at most 200 characters."), field="title"))
    if amendment_id is not None:
        amendment = session.get(Amendment, amendment_id)
        if amendment is None or amendment.contract_id != contract.id:
            problems.append(Problem(N_("the contract has no such amendment"), field="amendment_id"))
    if problems:
        raise contract_register.ContractRefused(problems)
    stored = store_file(session, data, filename, user_id=actor.user_id)
    document = ContractDocument(
        contract_id=contract.id,
        amendment_id=amendment_id,
        document_type=document_type,
        title=title or stored.filename,
        stored_file_id=stored.id,
        file=stored,
        created_at=now,
    )
    session.add(document)
    session.flush()
    record(
        session,
        actor,
        "contract.document_added",
        "contract",
        contract.id,
        occurred_at=now,
        document=document.id,
        document_type=document_type,
        filename=stored.filename,
        **({"amendment": amendment_id} if amendment_id is not None else {}),
    )
    return document


def remove_document(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    document_id: int,
    now: datetime,
) -> None:
    """Procurement removes a document attached by mistake; its file is deleted."""
    if not viewer.may("procurement"):
        raise DomainError(N_("only procurement may do this"), status=403)
    document = get_document(session, viewer, contract_id, document_id)
    stored: StoredFile = document.file
    session.delete(document)
    session.flush()
    session.delete(stored)
    session.flush()
    record(
        session,
        actor,
        "contract.document_removed",
        "contract",
        contract_id,
        occurred_at=now,
        document=document_id,
        filename=stored.filename,
    )
