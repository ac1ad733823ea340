"""Providers (leverandører): registering one with a checked CVR and GLN, and reading them.

CVR numbers are checked with python-stdnum's modulus-11 rule, GLN/EAN location numbers with
the GS1 check digit; each wrong length, character or check digit gets its own message.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from stdnum import ean
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from ..models import Provider
from ..rules.problems import N_, Problem
from . import DomainError, NotFound, scope
from .audit import Actor, record
from .paging import Page, page_of
from .scope import Viewer

CVR_LENGTH = 8
GLN_LENGTH = 13


def compact_cvr(text: str) -> str:
    """A CVR number without spaces, dashes or a DK prefix."""
    return stdnum_cvr.compact(text)


def cvr_problem(text: str) -> Problem | None:
    """Why the text is not a valid CVR number, or None when it is one."""
    number = compact_cvr(text)
    try:
        stdnum_cvr.validate(number)
    except InvalidLength:
        return Problem(
            N_("A CVR number has %(expected)s digits; “%(number)s” has %(count)s."),
            {"expected": CVR_LENGTH, "number": number, "count": len(number)},
            field="cvr",
        )
    except InvalidFormat:
        if not number.isdigit():
            return Problem(
                N_("A CVR number has only digits; “%(number)s” has other characters."),
                {"number": number},
                field="cvr",
            )
        return Problem(N_("A CVR number never starts with 0."), field="cvr")
    except InvalidChecksum:
        return Problem(
            N_(
                "%(number)s is not a CVR number: the check digit does not match the other digits "
                "(modulus 11). Look for a typo."
            ),
            {"number": number},
            field="cvr",
        )
    return None


def compact_gln(text: str) -> str:
    """A GLN/EAN number without spaces or dashes."""
    return ean.compact(text)


def gln_problem(text: str) -> Problem | None:
    """Why the text is not a valid 13-digit GLN/EAN location number, or None when it is one."""
    number = compact_gln(text)
    if not number.isdigit():
        return Problem(
            N_("A GLN/EAN number has only digits; “%(number)s” has other characters."),
            {"number": number},
            field="gln",
        )
    if len(number) != GLN_LENGTH:
        return Problem(
            N_("A GLN/EAN number has %(expected)s digits; “%(number)s” has %(count)s."),
            {"expected": GLN_LENGTH, "number": number, "count": len(number)},
            field="gln",
        )
    try:
        ean.validate(number)
    except InvalidChecksum:
        return Problem(
            N_(
                "%(number)s is not a GLN/EAN number: the last digit is not the check digit of the "
                "others. Look for a typo."
            ),
            {"number": number},
            field="gln",
        )
    return None


def cvr_taken(cvr: str, existing: Provider) -> Problem:
    """The problem of a CVR number another provider is registered with."""
    return Problem(
        N_("A provider with CVR %(cvr)s is registered already: %(name)s."),
        {"cvr": cvr, "name": existing.name},
        field="cvr",
    )


def create_provider(
    session: Session, actor: Actor, name: str, cvr: str, gln: str | None = None
) -> Provider:
    """Register a provider. Refuses a bad CVR or GLN (422) and a CVR already registered (409)."""
    name = name.strip()
    if not name:
        raise DomainError(N_("Give the provider's name."), "name")
    problem = cvr_problem(cvr)
    if problem:
        raise DomainError(problem.template, "cvr", **problem.params)
    if gln is not None and gln.strip():
        problem = gln_problem(gln)
        if problem:
            raise DomainError(problem.template, "gln", **problem.params)
        gln = compact_gln(gln)
    else:
        gln = None
    cvr = compact_cvr(cvr)
    existing = session.scalar(sa.select(Provider).where(Provider.cvr == cvr))
    if existing is not None:
        taken = cvr_taken(cvr, existing)
        raise DomainError(taken.template, "cvr", status=409, **taken.params)
    provider = Provider(name=name, cvr=cvr, gln=gln)
    session.add(provider)
    session.flush()
    record(session, actor, "provider.created", "provider", provider.id, name=name, cvr=cvr, gln=gln)
    return provider


def _by_name(viewer: Viewer) -> sa.Select:
    return scope.providers(viewer).order_by(Provider.name, Provider.id)


def visible_providers(session: Session, viewer: Viewer) -> list[Provider]:
    """The providers the viewer may see, by name."""
    return list(session.scalars(_by_name(viewer)))


def provider_page(session: Session, viewer: Viewer, page: int, per_page: int) -> Page[Provider]:
    """One page (from 1) of the providers the viewer may see, by name, and how many in all."""
    return page_of(session, _by_name(viewer), page, per_page)


def get_provider(session: Session, viewer: Viewer, provider_id: int) -> Provider:
    """One provider the viewer may see; NotFound also when it exists but is not theirs."""
    provider = session.scalar(scope.providers(viewer).where(Provider.id == provider_id))
    if provider is None:
        raise NotFound(N_("no such provider"), "provider_id")
    return provider
