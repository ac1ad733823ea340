"""The re-tender's material and its questions and answers, and the 2018 agreements' signed
documents, made through the services the pages use, on the days of the demo's story.

The story (DESIGN.md §3, the seed's letter): procurement put the material up on 18 January,
published on the 21st; the demo provider asked on the 22nd, procurement answered and published
the answer (worded so it names nobody) on the 23rd and put up a second Kravspecifikation the
same day, which every provider's users are told of; another provider's question of the 23rd
waits for an answer. Each special-effort agreement carries its signed contract, and its
extension of 15 January its signed amendment.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Amendment, Contract, Provider, Tender, User
from ...rules.tendering import copenhagen_time
from ..audit import Actor
from ..contract_documents import add_document
from ..scope import Viewer
from ..tenders.material import upload
from ..tenders.questions import answer, ask
from . import papers, plan
from .stamping import stamped

MATERIAL_AT = plan.at(date(2019, 1, 18), 10)  # before publication on the 21st
ASKED_AT = plan.at(date(2019, 1, 22), 13)
ANSWERED_AT = plan.at(date(2019, 1, 23), 9)
REVISED_AT = plan.at(date(2019, 1, 23), 11)
OTHER_ASKED_AT = plan.at(date(2019, 1, 23), 14)
SIGNED_AT = plan.at(plan.SPECIAL_START - timedelta(days=10), 10)
OTHER_ASKER = "fremad"  # a provider without a 2018 agreement, new to the special efforts

# (title, OCDS documentType, file name) of the material, in the order it was put up.
MATERIAL = (
    ("Udbudsbetingelser", "biddingDocuments", "Udbudsbetingelser.pdf"),
    ("Kravspecifikation", "technicalSpecifications", "Kravspecifikation.pdf"),
    ("Kontraktudkast", "contractDraft", "Kontraktudkast.pdf"),
    ("Tilbudsliste", "billOfQuantity", "Tilbudsliste.xlsx"),
)
REVISION_NOTE = (
    "Nyt afsnit 4 om overlevering af borgere, der er i forløb ved kontraktstart "
    "1. september 2019 (jf. svar på spørgsmål 1)."
)
QUESTION = (
    "Vi driver i dag særindsatsaftalen for aktivitetsparate 30+ og har borgere, hvis forløb "
    "ikke er afsluttet 31. august 2019. Skal de overgå til den nye leverandør, eller kan vi "
    "afslutte forløbene?"
)
PUBLIC_QUESTION = (
    "Skal borgere, der er i forløb hos en nuværende leverandør 31. august 2019, overgå til den "
    "leverandør, der vinder delaftalen?"
)
ANSWER = (
    "Ja. Borgere i forløb overgår til den nye leverandør 1. september 2019. Den nuværende "
    "leverandør afleverer en overleveringsnote for hver borger senest 14 dage før. "
    "Kravspecifikationen er opdateret med et nyt afsnit 4 (version 2)."
)
OTHER_QUESTION = (
    "Kan der afgives tilbud på flere delaftaler, og skal metodebeskrivelse og CV'er i så fald "
    "vedlægges for hver delaftale?"
)


def _lots(tender: Tender) -> list[tuple[int, str]]:
    return [(lot.number, lot.title) for lot in tender.lots]


def put_up_material(session: Session, procurement: User, tender: Tender) -> None:
    """The material procurement uploads to the draft re-tender before publishing it."""
    actor, viewer = Actor(procurement.email, procurement.id), Viewer(procurement.id, "procurement")
    deadline = f"{copenhagen_time(tender.deadline_at):%d-%m-%Y kl. %H.%M}"
    files = papers.tender_material(
        tender.reference, tender.title, deadline, tender.contract_start_on, _lots(tender)
    )
    with stamped(session, MATERIAL_AT):
        for title, kind, filename in MATERIAL:
            upload(
                session,
                actor,
                viewer,
                tender.id,
                title=title,
                document_type=kind,
                data=files[title],
                filename=filename,
                change_note=None,
                now=MATERIAL_AT,
            )


def questions_and_revision(
    session: Session, users: dict[str, User], providers: dict[str, Provider], tender: Tender
) -> None:
    """After publication: the demo provider's question answered and published, Kravspecifikation
    version 2 (announced to every provider), another provider's question still unanswered."""
    staff = users["procurement"]
    actor, viewer = Actor(staff.email, staff.id), Viewer(staff.id, "procurement")
    asker = users["provider"]
    with stamped(session, ASKED_AT):
        question = ask(
            session,
            Actor(asker.email, asker.id),
            Viewer(asker.id, "provider", asker.provider_id),
            tender.id,
            QUESTION,
            ASKED_AT,
        )
    with stamped(session, ANSWERED_AT):
        answer(
            session,
            actor,
            viewer,
            tender.id,
            question.id,
            public_question=PUBLIC_QUESTION,
            answer_text=ANSWER,
            publish=True,
            now=ANSWERED_AT,
        )
    meta = f"{tender.reference} · {tender.title} · {papers.AUTHORITY}"
    revised = papers.requirements(meta, tender.contract_start_on, _lots(tender), revised=True)
    with stamped(session, REVISED_AT):
        upload(
            session,
            actor,
            viewer,
            tender.id,
            title="Kravspecifikation",
            document_type="technicalSpecifications",
            data=revised,
            filename="Kravspecifikation version 2.pdf",
            change_note=REVISION_NOTE,
            now=REVISED_AT,
        )
    other = providers[OTHER_ASKER]
    with stamped(session, OTHER_ASKED_AT):
        ask(
            session,
            Actor(f"kontakt@{OTHER_ASKER}.demo.dk"),  # a coordinator without a demo login
            Viewer(None, "provider", other.id),
            tender.id,
            OTHER_QUESTION,
            OTHER_ASKED_AT,
        )


def sign_special_efforts(session: Session, procurement: User, contracts: list[Contract]) -> None:
    """Each special-effort agreement's signed contract, and its extension's signed amendment."""
    actor, viewer = Actor(procurement.email, procurement.id), Viewer(procurement.id, "procurement")
    special = [c for c in contracts if c.kind == "special_effort"]
    with stamped(session, SIGNED_AT):
        for contract in special:
            data = papers.signed_contract(
                contract.reference,
                contract.title,
                contract.provider.name,
                contract.provider.cvr,
                (contract.start_on, plan.SPECIAL_ORIGINAL_END, contract.max_end_on),
                (
                    contract.monthly_fee,
                    contract.hourly_rate,
                    contract.outcome_bonus,
                    contract.ceiling,
                ),
                SIGNED_AT.date(),
            )
            add_document(
                session,
                actor,
                viewer,
                contract.id,
                "contractSigned",
                data,
                f"{contract.reference} kontrakt.pdf",
                SIGNED_AT,
                title="Underskrevet kontrakt",
            )
    extensions = dict(
        session.execute(
            sa.select(Amendment.contract_id, Amendment.id).where(
                Amendment.contract_id.in_([c.id for c in special]), Amendment.kind == "extension"
            )
        ).all()
    )
    with stamped(session, plan.EXTENDED_AT):
        for contract in special:
            data = papers.extension(
                contract.reference,
                contract.provider.name,
                plan.SPECIAL_ORIGINAL_END,
                plan.SPECIAL_EXTENDED_END,
                plan.EXTENSION_REASON,
                plan.EXTENDED_AT.date(),
            )
            add_document(
                session,
                actor,
                viewer,
                contract.id,
                "contractAnnexe",
                data,
                f"{contract.reference} tillæg 1.pdf",
                plan.EXTENDED_AT,
                title="Tillæg 1: forlængelse til 31-08-2019",
                amendment_id=extensions[contract.id],
            )
