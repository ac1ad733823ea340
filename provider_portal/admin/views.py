"""The admin pages: users and personal API tokens. No participant or contract data here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.models import ROLES
from contracts.services import DomainError
from contracts.services.account_listing import all_tokens, all_users, provider_names
from contracts.services.accounts import create_user, find_user, revoke_token

from .. import clock, transaction
from ..extensions import db
from ..i18n import say
from ..security import ROLE_LABELS, actor, allow
from ..sessions import fresh_login_required
from ..token_forms import RevokeTokenForm
from .forms import NO_PROVIDER, CreateUserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_form() -> CreateUserForm:
    form = CreateUserForm(prefix="user")
    form.role.choices = [("", "—")] + [(role, str(ROLE_LABELS[role])) for role in ROLES]
    # Provider names only, for the select: the administrator sees no contract or participant data.
    form.provider_id.choices = [(NO_PROVIDER, "—")] + provider_names(db.session)
    return form


def _page(user_form: CreateUserForm | None = None, status: int = 200):
    return render_template(
        "admin/home.html",
        users=all_users(db.session),
        tokens=all_tokens(db.session),
        user_form=user_form or _user_form(),
        revoke_form=RevokeTokenForm(),
        today=clock.today(),
    ), status


@bp.route("/")
@allow("admin")
def home():
    """Users, the form to create one, and the API tokens."""
    return _page()


@bp.route("/users", methods=["POST"])
@allow("admin")
@fresh_login_required
def create_user_view():
    """Create a user; bad input is shown next to its field and nothing is stored."""
    form = _user_form()
    if form.validate_on_submit():
        if find_user(db.session, form.email.data) is not None:
            form.email.errors.append(_("A user with this e-mail exists already."))
        else:
            provider_id = form.provider_id.data if form.role.data == "provider" else None
            try:
                create_user(
                    db.session,
                    actor(),
                    form.email.data,
                    form.role.data,
                    form.password.data,
                    provider_id,
                    name=form.name.data or "",
                )
            except DomainError as refusal:
                transaction.rollback()
                field = getattr(form, refusal.field or "", None) or form.email
                field.errors.append(say(refusal))
            else:
                flash(
                    _("The user %(email)s was created.", email=form.email.data.strip().lower()),
                    "success",
                )
                return redirect(url_for("admin.home"))
    return _page(user_form=form, status=422)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow("admin")
def revoke_token_view(token_id: int):
    """Revoke an API token; it stops working at once."""
    form = RevokeTokenForm()
    if form.validate_on_submit():
        revoke_token(db.session, actor(), token_id)
        flash(_("The token was revoked."), "success")
    return redirect(url_for("admin.home"))
