"""Registering a provider with its contact, and changing a registered provider.

`providers.create_provider` registers the name, CVR and GLN; this module adds the contact
person and the postal address (which invoices print, DESIGN.md §6) and the later edits. Every problem is found before anything changes, so a refusal
(`ProviderRefused`, each problem with its field) stores nothing. CVR and GLN are checked by
the same rules as at registration (`contracts.rules.identifiers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Provider
from ..rules.identifiers import compact_cvr, compact_gln, cvr_problem, gln_problem
from ..rules.problems import N_, Problem
from . import DomainError, Refused
from .audit import Actor, record
from .providers import create_provider, cvr_taken, get_provider
from .scope import Viewer

NAME_LENGTH = 200
EMAIL_LENGTH = 254
CITY_LENGTH = 100
POSTCODE = re.compile(r"[0-9]{4}")


class ProviderRefused(Refused):
    """The provider cannot be registered or changed: every problem, each with its field."""


@dataclass(frozen=True)
class ProviderDetails:
    """What procurement enters about a provider."""

    name: str
    cvr: str
    gln: str | None = None
    contact_name: str = ""
    contact_email: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""

    def extra(self) -> dict[str, str]:
        """What registration adds after the name, CVR and GLN: contact and address, tidied."""
        return {name: getattr(self, name).strip() for name in EXTRA_FIELDS}


EXTRA_FIELDS = ("contact_name", "contact_email", "street", "postcode", "city")


def _require_procurement(viewer: Viewer) -> None:
    if not viewer.may("procurement"):
        raise DomainError(N_("only procurement may register or change providers"), status=403)


def _problems(details: ProviderDetails) -> list[Problem]:
    problems = []
    if not details.name.strip():
        problems.append(Problem(N_("Give the provider's name."), field="name"))
    elif len(details.name.strip()) > NAME_LENGTH:
        problems.append(
            Problem(
                N_("a provider's name has at most %(count)s characters"),
                {"count": NAME_LENGTH},
                field="name",
            )
        )
    problem = cvr_problem(details.cvr)
    if problem:
        problems.append(problem)
    if details.gln and details.gln.strip():
        problem = gln_problem(details.gln)
        if problem:
            problems.append(problem)
    postcode = details.postcode.strip()
    if postcode and not POSTCODE.fullmatch(postcode):
        problems.append(
            Problem(
                N_("A postcode is 4 digits, such as 2400; “%(value)s” is not a postcode."),
                {"value": postcode},
                field="postcode",
            )
        )
    too_long = (
        ("contact_name", NAME_LENGTH, N_("a contact name has at most %(count)s characters")),
        ("contact_email", EMAIL_LENGTH, N_("an email address has at most %(count)s characters")),
        ("street", NAME_LENGTH, N_("a street address has at most %(count)s characters")),
        ("city", CITY_LENGTH, N_("a city name has at most %(count)s characters")),
    )
    for name, limit, template in too_long:
        if len(getattr(details, name).strip()) > limit:
            problems.append(Problem(template, {"count": limit}, field=name))
    return problems


def _cvr_taken(session: Session, cvr: str, other_than: int | None) -> Provider | None:
    stmt = sa.select(Provider).where(Provider.cvr == cvr)
    if other_than is not None:
        stmt = stmt.where(Provider.id != other_than)
    return session.scalar(stmt)


def _taken_problem(existing: Provider, cvr: str) -> ProviderRefused:
    return ProviderRefused([cvr_taken(cvr, existing)], status=409)


def register_provider(
    session: Session, actor: Actor, viewer: Viewer, details: ProviderDetails
) -> Provider:
    """Register a provider with its contact; refuses every problem at once, a taken CVR with 409."""
    _require_procurement(viewer)
    problems = _problems(details)
    if problems:
        raise ProviderRefused(problems)
    cvr = compact_cvr(details.cvr)
    existing = _cvr_taken(session, cvr, None)
    if existing is not None:
        raise _taken_problem(existing, cvr)
    provider = create_provider(session, actor, details.name, details.cvr, details.gln or None)
    extra = details.extra()
    changes = {name: ["", value] for name, value in extra.items() if value}
    if changes:
        # create_provider records the registration without the contact and address; they are
        # a change of their own in the history rather than a silent addition.
        for name, value in extra.items():
            setattr(provider, name, value)
        session.flush()
        record(session, actor, "provider.updated", "provider", provider.id, changes=changes)
    return provider


def update_provider(
    session: Session, actor: Actor, viewer: Viewer, provider_id: int, details: ProviderDetails
) -> Provider:
    """Change a provider's name, CVR, GLN, contact or address; the audit event names old and new
    values.

    Refuses every problem at once (422), a CVR registered to another provider with 409, and an
    unknown provider with 404. Nothing changes on a refusal; no event when nothing changed.
    """
    _require_procurement(viewer)
    provider = get_provider(session, viewer, provider_id)
    problems = _problems(details)
    if problems:
        raise ProviderRefused(problems)
    cvr = compact_cvr(details.cvr)
    existing = _cvr_taken(session, cvr, provider.id)
    if existing is not None:
        raise _taken_problem(existing, cvr)
    new = {
        "name": details.name.strip(),
        "cvr": cvr,
        "gln": compact_gln(details.gln) if details.gln and details.gln.strip() else None,
        **details.extra(),
    }
    changes = {
        name: [getattr(provider, name), value]
        for name, value in new.items()
        if getattr(provider, name) != value
    }
    if changes:
        for name, value in new.items():
            setattr(provider, name, value)
        session.flush()
        record(session, actor, "provider.updated", "provider", provider.id, changes=changes)
    return provider
