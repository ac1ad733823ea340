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
from . import DomainError, NotFound, scope
from .audit import Actor, record
from .scope import Viewer

CVR_LENGTH = 8
GLN_LENGTH = 13


def compact_cvr(text: str) -> str:
    """A CVR number without spaces, dashes or a DK prefix."""
    return stdnum_cvr.compact(text)


def cvr_problem(text: str) -> str | None:
    """Why the text is not a valid CVR number, or None when it is one."""
    number = compact_cvr(text)
    try:
        stdnum_cvr.validate(number)
    except InvalidLength:
        return f"a CVR number has {CVR_LENGTH} digits; {number!r} has {len(number)}"
    except InvalidFormat:
        if not number.isdigit():
            return f"a CVR number has only digits; {number!r} has other characters"
        return "a CVR number never starts with 0"
    except InvalidChecksum:
        return f"{number} is not a CVR number: its digits fail the check (modulus 11); look for a typo"
    return None


def compact_gln(text: str) -> str:
    """A GLN/EAN number without spaces or dashes."""
    return ean.compact(text)


def gln_problem(text: str) -> str | None:
    """Why the text is not a valid 13-digit GLN/EAN location number, or None when it is one."""
    number = compact_gln(text)
    if not number.isdigit():
        return f"a GLN (EAN location number) has only digits; {number!r} has other characters"
    if len(number) != GLN_LENGTH:
        return f"a GLN (EAN location number) has {GLN_LENGTH} digits; {number!r} has {len(number)}"
    try:
        ean.validate(number)
    except InvalidChecksum:
        return f"{number} is not a GLN: its last digit is not the check digit of the others; look for a typo"
    return None


def create_provider(
    session: Session, actor: Actor, name: str, cvr: str, gln: str | None = None
) -> Provider:
    """Register a provider. Refuses a bad CVR or GLN (422) and a CVR already registered (409)."""
    name = name.strip()
    if not name:
        raise DomainError("a provider needs a name", "name")
    problem = cvr_problem(cvr)
    if problem:
        raise DomainError(problem, "cvr")
    if gln is not None and gln.strip():
        problem = gln_problem(gln)
        if problem:
            raise DomainError(problem, "gln")
        gln = compact_gln(gln)
    else:
        gln = None
    cvr = compact_cvr(cvr)
    existing = session.scalar(sa.select(Provider).where(Provider.cvr == cvr))
    if existing is not None:
        raise DomainError(
            f"a provider with CVR {cvr} is registered already ({existing.name}, id {existing.id})",
            "cvr", status=409,
        )
    provider = Provider(name=name, cvr=cvr, gln=gln)
    session.add(provider)
    session.flush()
    record(session, actor, "provider.created", "provider", provider.id, name=name, cvr=cvr, gln=gln)
    return provider


def visible_providers(session: Session, viewer: Viewer) -> list[Provider]:
    """The providers the viewer may see, by name."""
    return list(session.scalars(scope.providers(viewer).order_by(Provider.name, Provider.id)))


def get_provider(session: Session, viewer: Viewer, provider_id: int) -> Provider:
    """One provider the viewer may see; NotFound also when it exists but is not theirs."""
    provider = session.scalar(scope.providers(viewer).where(Provider.id == provider_id))
    if provider is None:
        raise NotFound("no such provider", "provider_id")
    return provider
