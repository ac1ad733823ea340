"""Providers (leverandører): registering one with a checked CVR and GLN, and reading them.

CVR numbers and GLN/EAN location numbers are checked by `contracts.rules.identifiers`; each
wrong length, character or check digit gets its own message.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Provider
from ..rules.identifiers import compact_cvr, compact_gln, cvr_problem, gln_problem
from ..rules.problems import N_, Problem
from . import DomainError, NotFound, scope
from .audit import Actor, record
from .paging import Page, page_of
from .scope import Viewer


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
