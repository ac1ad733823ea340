"""Every user's own API tokens (DESIGN.md §13): made with a name and an expiry, listed with
their last use, revoked at once. Procurement makes its OCDS token here, not on the command line."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.services import DomainError
from contracts.services.accounts import TOKEN_DAYS, create_token, own_tokens, revoke_token

from .. import clock, transaction
from ..extensions import db
from ..i18n import say
from ..security import ALL_ROLES, actor, allow, current
from ..token_forms import CreateTokenForm, RevokeTokenForm
from .views import bp


def _page(form: CreateTokenForm | None = None, new_token: str | None = None, status: int = 200):
    return render_template(
        "auth/tokens.html",
        tokens=own_tokens(db.session, current()),
        form=form or CreateTokenForm(),
        revoke_form=RevokeTokenForm(),
        new_token=new_token,
        today=clock.today(),
        default_expiry=clock.today() + timedelta(days=TOKEN_DAYS),
    ), status


@bp.route("/tokens")
@allow(*ALL_ROLES)
def tokens():
    """The user's tokens and the form to make one."""
    return _page()


@bp.route("/tokens", methods=["POST"])
@allow(*ALL_ROLES)
def create_token_view():
    """Make a token and show it, this once only; bad input is shown next to its field."""
    form = CreateTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        _row, token = create_token(
            db.session,
            actor(),
            current(),
            name=form.name.data,
            expires_on=form.expires_on.day,
            today=clock.today(),
        )
    except DomainError as refusal:
        transaction.rollback()
        getattr(form, refusal.field or "name").errors.append(say(refusal))
        return _page(form, status=422)
    # Rendered, not redirected: the token exists in clear text only in this one response,
    # which the no-store header keeps out of caches and history.
    return _page(new_token=token)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(*ALL_ROLES)
def revoke_own_token(token_id: int):
    """Revoke one of one's own tokens; it stops working at once. Another's is not found."""
    if RevokeTokenForm().validate_on_submit():
        revoke_token(db.session, actor(), token_id, owner=current())
        flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.tokens"))
