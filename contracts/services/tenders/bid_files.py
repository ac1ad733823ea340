"""A bid's files (method description, CVs, references), sealed exactly as its prices are.

Who sees them is who sees the bid (`scope.bids`): the bidding provider's staff always, and
procurement once the deadline has passed; nobody else, ever. Before the deadline nothing
tells anyone else that a file, or a bid, exists. Finance reads the bids' prices after the
deadline but has no use for the files, so it is refused them as a provider of another bid is.

The bidder adds, replaces and removes files until the deadline, and only on a bid it has made
(the prices first: the files belong to the bid). Every change and every download is an audit
event; the events name the bid, the lot and the kind, never the file's name (it is sealed too).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Bid, BidAttachment, Lot, StoredFile, Tender
from ...models.attachments import BID_ATTACHMENT_KINDS
from ...rules.problems import N_, Problem
from .. import DomainError, NotFound, scope
from ..audit import Actor, record
from ..paging import Page, page_of
from ..scope import Viewer
from ..stored_files import store_file
from .bids import open_lot, own_bid
from .guards import _refuse
from .reading import get_tender

# Roles that may read a bid's files when `scope.bids` lets them see the bid.
READERS = ("provider", "procurement")


def _visible(viewer: Viewer, now: datetime) -> sa.Select:
    """Attachments of the bids the viewer sees, for the roles that read them; none for others."""
    stmt = sa.select(BidAttachment).options(
        selectinload(BidAttachment.file), selectinload(BidAttachment.bid)
    )
    if viewer.role not in READERS:
        return stmt.where(sa.false())
    return stmt.where(BidAttachment.bid_id.in_(scope.bids(viewer, now, sa.select(Bid.id))))


def _of_tender(viewer: Viewer, tender: Tender, now: datetime, lot_id: int | None) -> sa.Select:
    lots = sa.select(Lot.id).where(Lot.tender_id == tender.id)
    if lot_id is not None:
        lots = lots.where(Lot.id == lot_id)
    return (
        _visible(viewer, now)
        .join(Bid, BidAttachment.bid_id == Bid.id)
        .where(Bid.lot_id.in_(lots))
        .order_by(Bid.lot_id, Bid.id, BidAttachment.id)
    )


def attachments_by_bid(
    session: Session, viewer: Viewer, tender: Tender, now: datetime
) -> dict[int, list[BidAttachment]]:
    """The tender's bid files the viewer may see, by bid id (an empty dict while sealed)."""
    found: dict[int, list[BidAttachment]] = {}
    for attachment in session.scalars(_of_tender(viewer, tender, now, None)):
        found.setdefault(attachment.bid_id, []).append(attachment)
    return found


def attachment_page(
    session: Session,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    now: datetime,
    page: int,
    per_page: int,
) -> Page[BidAttachment]:
    """One page of a lot's bid files the viewer sees: a provider its own bid's, procurement
    every bid's after the deadline and none before it (as the bids themselves)."""
    tender = get_tender(session, viewer, tender_id)
    if all(lot.id != lot_id for lot in tender.lots):
        raise NotFound(N_("no such lot in this tender"), "lot_id")
    return page_of(session, _of_tender(viewer, tender, now, lot_id), page, per_page)


def get_attachment(
    session: Session,
    viewer: Viewer,
    tender_id: int,
    attachment_id: int,
    now: datetime,
    lot_id: int | None = None,
) -> BidAttachment:
    """One bid file of the tender (and lot, when given) that the viewer may see; 404 alike for
    one that does not exist, is sealed, or is another provider's."""
    stmt = (
        _visible(viewer, now)
        .join(Bid, BidAttachment.bid_id == Bid.id)
        .join(Lot, Bid.lot_id == Lot.id)
        .where(BidAttachment.id == attachment_id, Lot.tender_id == tender_id)
    )
    if lot_id is not None:
        stmt = stmt.where(Lot.id == lot_id)
    found = session.scalar(stmt)
    if found is None:
        raise NotFound(N_("no such file"), "attachment_id")
    return found


def download(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    attachment_id: int,
    now: datetime,
    lot_id: int | None = None,
) -> StoredFile:
    """The file to answer, after recording who fetched it (every download is an audit event)."""
    attachment = get_attachment(session, viewer, tender_id, attachment_id, now, lot_id)
    _event(session, actor, "bid.attachment_downloaded", attachment, now)
    return attachment.file


def _event(
    session: Session, actor: Actor, action: str, attachment: BidAttachment, now, **details
) -> None:
    """The audit event of a bid's file: the bid, the file's id and kind, never its name."""
    record(
        session,
        actor,
        action,
        "bid",
        attachment.bid_id,
        occurred_at=now,
        **details,
        attachment=attachment.id,
        kind=attachment.kind,
    )


def _kind(kind: str) -> None:
    if kind not in BID_ATTACHMENT_KINDS:
        _refuse(
            [
                Problem(
                    N_("the kind of file is one of: %(kinds)s"),
                    {"kinds": ", ".join(BID_ATTACHMENT_KINDS)},
                    field="kind",
                )
            ]
        )


def _bid_to_change(
    session: Session, viewer: Viewer, tender_id: int, lot_id: int, now: datetime
) -> tuple[Tender, Lot, Bid]:
    tender, lot = open_lot(session, viewer, tender_id, lot_id, now)
    bid = own_bid(session, viewer, lot.id)
    if bid is None:
        raise DomainError(
            N_("bid on the lot first: the files belong to your bid"), "bid", status=409
        )
    return tender, lot, bid


def add_attachment(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    kind: str,
    data: bytes,
    filename: str,
    now: datetime,
) -> BidAttachment:
    """Attach a checked file to the provider's own bid while the tender is open for bids.

    A refused file (FileRefused: its type, size, an encrypted PDF ...) stores nothing."""
    tender, lot, bid = _bid_to_change(session, viewer, tender_id, lot_id, now)
    _kind(kind)
    stored = store_file(session, data, filename, user_id=actor.user_id)
    attachment = BidAttachment(bid_id=bid.id, kind=kind, stored_file_id=stored.id, file=stored)
    session.add(attachment)
    session.flush()
    _event(
        session, actor, "bid.attachment_added", attachment, now, tender_id=tender.id, lot=lot.number
    )
    return attachment


def _own_attachment(
    session: Session, viewer: Viewer, tender_id: int, lot_id: int, attachment_id: int, now
) -> tuple[Lot, Bid, BidAttachment]:
    # Another provider's file is not found before anything is said of the tender's state.
    if not viewer.is_provider:
        raise DomainError(N_("only a provider's staff can bid"), status=403)
    attachment = get_attachment(session, viewer, tender_id, attachment_id, now, lot_id)
    _, lot, bid = _bid_to_change(session, viewer, tender_id, lot_id, now)
    return lot, bid, attachment


def replace_attachment(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    attachment_id: int,
    data: bytes,
    filename: str,
    now: datetime,
) -> BidAttachment:
    """Put a new file in an attachment's place (same kind); the old file is deleted."""
    lot, bid, attachment = _own_attachment(session, viewer, tender_id, lot_id, attachment_id, now)
    stored = store_file(session, data, filename, user_id=actor.user_id)
    old = attachment.file
    attachment.file, attachment.created_at = stored, now
    session.flush()
    session.delete(old)
    session.flush()
    _event(session, actor, "bid.attachment_replaced", attachment, now, lot=lot.number)
    return attachment


def remove_attachment(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    attachment_id: int,
    now: datetime,
) -> None:
    """Remove a file from the provider's own bid before the deadline; the file is deleted."""
    lot, bid, attachment = _own_attachment(session, viewer, tender_id, lot_id, attachment_id, now)
    stored = attachment.file
    session.delete(attachment)
    session.flush()
    session.delete(stored)
    session.flush()
    _event(session, actor, "bid.attachment_removed", attachment, now, lot=lot.number)
