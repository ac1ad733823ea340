"""An invoice's step taken from a page (issue, attest, approve, return): the answer is a redirect
back to a page with what happened, or the refusal in the page's language, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from contracts.models import Invoice
from contracts.services import DomainError

from . import transaction
from .i18n import say


def step_answer(step: Callable[[], Invoice], done: str | Callable[[Invoice], str], back: str):
    """Take `step` and go `back` (a URL): `done` (or `done(invoice)`) on success, the refusal
    otherwise, the step rolled back. An invoice the viewer may not see stays a 404."""
    try:
        invoice = step()
    except DomainError as refused:
        transaction.rollback()
        if refused.status == 404:
            raise
        flash(say(refused), "error")
    else:
        flash(done if isinstance(done, str) else done(invoice), "success")
    return redirect(back)
