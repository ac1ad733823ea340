"""A record's audit history in plain words, for `templates/procurement/_audit_history.html`.

The partial reads `history` (audit events, oldest first) from its page. A page whose view
already hands one over (the tender's) includes it as it is; any other page may fetch its
record's history in the template with `record_history("contract", contract.id)`, so adding
the history to a page needs no change to its view. Only procurement gets any events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from contracts.models import AuditEvent
from contracts.rules.tendering import copenhagen_time
from contracts.services.audit_trail import record_history as _record_history
from contracts.services.programmes import all_programmes

from ..extensions import db
from ..formatting import day, programme_name
from ..security import viewer
from .bid_files import KIND_LABELS as BID_FILE_KINDS
from .contract_documents import TYPE_LABELS as DOCUMENT_TYPES
from .forms import CONTRACT_KINDS, PROCEDURE_LABELS
from .views import bp

ACTIONS = {
    "provider.created": _l("Provider registered"),
    "provider.updated": _l("Provider changed"),
    "contract.created": _l("Contract entered"),
    "contract.extended": _l("Contract extended"),
    "contract.retendered": _l("Re-tender started"),
    "contract.changeover": _l("Participants moved to the successor contract"),
    "participants.viewed": _l("Participant list read"),
    "participants.exported": _l("Report template downloaded"),
    "enrolment.withdrawn": _l("Enrolment ended as registered by mistake"),
    "tender.created": _l("Tender created as a draft"),
    "tender.updated": _l("Tender changed"),
    "lot.updated": _l("Lot changed"),
    "tender.retender_started": _l("Re-tender of expiring contracts"),
    "tender.published": _l("Tender published"),
    "tender.evaluated": _l("Bids evaluated"),
    "tender.awarded": _l("Tender awarded"),
    "tender.concluded": _l("Contracts concluded"),
    "tender.cancelled": _l("Tender cancelled"),
    "bid.submitted": _l("Bid received"),
    "bid.revised": _l("Bid revised"),
    "bid.attachment_added": _l("File added to the bid"),
    "bid.attachment_replaced": _l("File of the bid replaced"),
    "bid.attachment_removed": _l("File removed from the bid"),
    "bid.attachment_downloaded": _l("File of the bid downloaded"),
    "contract.document_added": _l("Document attached"),
    "contract.document_removed": _l("Document removed"),
    "tender.material_uploaded": _l("Tender material uploaded"),
    "tender.deadline_moved": _l("Deadline moved"),
    "tender.question_deadline_set": _l("Deadline for questions set"),
    "tender.question_asked": _l("Question received"),
    "tender.question_answered": _l("Answer saved"),
    "tender.question_published": _l("Answer published"),
}

FIELDS = {
    "name": _l("Name"),
    "cvr": _l("CVR"),
    "gln": _l("GLN/EAN"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact email"),
    "street": _l("Street and number"),
    "postcode": _l("Postcode"),
    "city": _l("City"),
    "reference": _l("Reference"),
    "title": _l("Title"),
    "procedure": _l("Procedure"),
    "contract_kind": _l("Kind of contract"),
    "kind": _l("Kind"),
    "programme": _l("Programme"),
    "lots": _l("Lots"),
    "lot": _l("Lot"),
    "deadline": _l("Deadline"),
    "deadline_at": _l("Deadline"),
    "start_on": _l("Start date"),
    "end_on": _l("End date"),
    "contract_start_on": _l("Contracts start"),
    "contract_end_on": _l("Contracts end"),
    "contract_max_end_on": _l("Latest end date under the extension option"),
    "old_end": _l("Old end date"),
    "new_end": _l("New end date"),
    "reason": _l("Reason"),
    "previous": _l("Status before"),
    "predecessors": _l("Replaces"),
    "predecessor_id": _l("Continues contract no."),
    "successor_id": _l("Successor contract no."),
    "provider_id": _l("Provider no."),
    "tender": _l("Tender"),
    "tender_id": _l("Tender no."),
    "contracts": _l("Contracts"),
    "standstill_ends_on": _l("Standstill until and including"),
    "day": _l("Day"),
    "month": _l("Month"),
    "count": _l("Count"),  # how many (Antal), not a number that names something
    "estimated_value": _l("Estimated value"),
    "expected_hours": _l("Expected hours a month"),
    "expected_outcome_rate": _l("Expected outcome rate"),
    "w_price": _l("Weight of price"),
    "w_quality": _l("Weight of quality"),
    "max_awards": _l("Providers awarded"),
    "participant": _l("Participant"),
    "enrolment_id": _l("Course no."),
    "notices_rejected": _l("Exit notices rejected"),
    "draft_lines_removed": _l("Lines taken out of unsent reports"),
    "attachment": _l("File no."),
    "document": _l("Document no."),
    "document_type": _l("Kind of document"),
    "amendment": _l("Amendment no."),
    "filename": _l("File name"),
    "document_id": _l("Document no."),
    "version": _l("Version"),
    "change_note": _l("What changed"),
    "moved_from": _l("From"),
    "moved_to": _l("To"),
    "question_id": _l("Question no."),
    "question_deadline": _l("Deadline for questions"),
}
# Details that say nothing a person needs (the page they were read on, internal keys).
HIDDEN = {
    "page",
    "subject",
    "quality_points",
    "quality_reasons",
    "awarded",
    "previous_end_reason",
    "sha256",
    "stored_file_id",
}
# Details whose values are codes with a name.
CODED = {"programme", "lots", "kind", "contract_kind", "procedure", "document_type"}


@dataclass(frozen=True)
class HistoryEntry:
    """One audit event as the page shows it."""

    when: datetime
    who: str
    what: str
    details: list[str]


def _value(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "–"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return day(date.fromisoformat(text))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*", text):
        return copenhagen_time(datetime.fromisoformat(text)).strftime("%d-%m-%Y %H:%M")
    return text


def _label(name: str) -> str:
    return str(FIELDS.get(name, name.replace("_", " ")))


def _codes() -> dict[str, str]:
    """Names for the codes details carry: programmes, kinds of contract, procedures."""
    names = {p.code: programme_name(p) for p in all_programmes(db.session)}
    names.update({str(choice.value): str(choice.label) for choice in CONTRACT_KINDS})
    names.update({code: str(label) for code, label in PROCEDURE_LABELS.items()})
    names.update({code: str(label) for code, label in BID_FILE_KINDS.items()})
    names.update({code: str(label) for code, label in DOCUMENT_TYPES.items()})
    return names


def _details(details: dict[str, Any], codes: dict[str, str]) -> list[str]:
    lines = []
    for name, value in (details or {}).items():
        if name in HIDDEN:
            continue
        if name == "changes" and isinstance(value, dict):
            for field, change in value.items():
                old, new = (
                    change if isinstance(change, list) and len(change) == 2 else (None, change)
                )
                lines.append(
                    gettext(
                        "%(field)s: %(old)s → %(new)s",
                        field=_label(field),
                        old=_value(old),
                        new=_value(new),
                    )
                )
        else:
            if name in CODED:
                value = (
                    [codes.get(v, v) for v in value]
                    if isinstance(value, list)
                    else codes.get(value, value)
                )
            lines.append(f"{_label(name)}: {_value(value)}")
    return lines


def audit_entries(events: list[AuditEvent]) -> list[HistoryEntry]:
    """Audit events in plain words: when (Copenhagen time), who, what, and the details."""
    codes = _codes() if events else {}
    return [
        HistoryEntry(
            when=copenhagen_time(event.occurred_at),
            who=(
                event.actor.name
                if event.actor is not None and event.actor.name
                else event.actor_label
            ),
            what=str(ACTIONS.get(event.action, event.action)),
            details=_details(event.details, codes),
        )
        for event in events
    ]


def record_history(record_type: str, record_id: int) -> list[AuditEvent]:
    """The record's audit events for this request's viewer (none unless procurement)."""
    return _record_history(db.session, viewer(), record_type, record_id)


bp.add_app_template_global(audit_entries, "audit_entries")
bp.add_app_template_global(record_history, "record_history")
