"""An invoice's steps in plain words, for its page: when (Copenhagen time), who, what, and the
reason or number that goes with the step. The events are `invoice_steps.history`'s."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from contracts.models import AuditEvent
from contracts.rules.periods import COPENHAGEN

from .formatting import day

STEP_WORDS = {
    "invoice.created": _l("Made from the accepted report"),
    "invoice.issued": _l("Issued by the provider"),
    "invoice.attested": _l("Attested"),
    "invoice.returned": _l("Returned to attestation"),
    "invoice.approved": _l("Approved"),
    "invoice.credited": _l("Credited by a credit note"),
}


@dataclass(frozen=True)
class Step:
    """One step as the page shows it."""

    action: str
    when: str
    who: str
    what: str
    details: list[str]


def _details(event: AuditEvent) -> list[str]:
    found = event.details or {}
    lines = []
    if found.get("reason"):
        lines.append(gettext("Reason: %(reason)s", reason=found["reason"]))
    if event.action == "invoice.approved" and found.get("number"):
        lines.append(gettext("Number %(number)s", number=found["number"]))
    if found.get("ceiling_reason"):
        lines.append(
            gettext("Ceiling crossing accepted: %(reason)s", reason=found["ceiling_reason"])
        )
    return lines


def steps(events: list[AuditEvent]) -> list[Step]:
    """The invoice's audit events as its history of steps, oldest first."""
    return [
        Step(
            action=event.action,
            when=f"{day(event.occurred_at)} {event.occurred_at.astimezone(COPENHAGEN):%H:%M}",
            who=(
                gettext("The portal")
                if event.actor_id is None and event.actor_label == "system"
                else (event.actor.name if event.actor and event.actor.name else event.actor_label)
            ),
            what=str(STEP_WORDS.get(event.action, event.action)),
            details=_details(event),
        )
        for event in events
    ]
