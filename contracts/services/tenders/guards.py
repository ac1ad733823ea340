"""The checks every tender step starts with, kept in one place so each step refuses alike.

Every step checks everything first and refuses with a plain reason (`DomainError`: 422 when
the rules forbid it, 409 when the tender's state does), so a refusal changes nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from ...rules import tendering as rules
from ...rules.problems import N_, Problem
from .. import DomainError, contract_register
from ..scope import Viewer


def _require_procurement(viewer: Viewer) -> None:
    if not viewer.may("procurement"):
        raise DomainError(N_("only procurement may do this"), status=403)


def _today(now: datetime) -> date:
    return rules.local_day(now)


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise contract_register.ContractRefused(problems)


def require_state(state: str, allowed: tuple[str, ...], template: str) -> None:
    """Refuse (409) unless the tender's status now is one of `allowed`; the template names it
    as `%(state)s`."""
    if state not in allowed:
        raise DomainError(template, "status", status=409, state=state)


def plain_text(value: str | None) -> str:
    """Text as typed, without control characters (NUL cannot be stored in PostgreSQL) but with
    its line breaks and tabs, stripped."""
    return "".join(
        c for c in (value or "") if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs")
    ).strip()
