"""The admin pages: users and personal API tokens. No participant or contract data here.

The administrator invites the municipality's staff and never chooses a password: the person
chooses it by the mailed link. Procurement and finance staff wait for a second person's approval
(procurement's users page) before their invitation is sent. A provider's users are invited by
its administrator or by procurement, never here (contracts.services.user_admin).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.services.account_listing import all_tokens, all_users
from contracts.services.accounts import revoke_token
from contracts.services.user_admin import STAFF_ROLES

from .. import clock
from ..extensions import db
from ..security import ROLE_LABELS, actor, allow, current
from ..sessions import fresh_login_required
from ..token_forms import RevokeTokenForm
from ..user_pages import (
    ActivityForm,
    StaffInviteForm,
    invite_from,
    reset_second_factor_from,
    set_active_from,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_form() -> StaffInviteForm:
    form = StaffInviteForm(prefix="user")
    form.role.choices = [("", "—")] + [(role, str(ROLE_LABELS[role])) for role in STAFF_ROLES]
    return form


def _page(user_form: StaffInviteForm | None = None, status: int = 200):
    return render_template(
        "admin/home.html",
        users=all_users(db.session),
        tokens=all_tokens(db.session),
        user_form=user_form or _user_form(),
        activity_form=ActivityForm(),
        revoke_form=RevokeTokenForm(),
        me=current(),
        today=clock.today(),
    ), status


@bp.route("/")
@allow("admin")
def home():
    """Users, the form to invite one of the staff, and the API tokens."""
    return _page()


@bp.route("/users", methods=["POST"])
@allow("admin")
@fresh_login_required
def create_user_view():
    """Invite one of the staff; bad input is shown next to its field and nothing is stored."""
    form = _user_form()
    if form.validate_on_submit() and invite_from(form, form.role.data, None, False):
        return redirect(url_for("admin.home"))
    return _page(user_form=form, status=422)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@allow("admin")
@fresh_login_required
def deactivate_user(user_id: int):
    """Deactivate anyone but oneself: sessions and API tokens stop at once."""
    set_active_from(user_id, False)
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@allow("admin")
@fresh_login_required
def reactivate_user(user_id: int):
    """Reactivate a deactivated user (not one awaiting approval)."""
    set_active_from(user_id, True)
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
@allow("admin")
@fresh_login_required
def reset_user_second_factor(user_id: int):
    """Reset anyone's second factor but one's own (a lost phone)."""
    reset_second_factor_from(user_id)
    return redirect(url_for("admin.home"))


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow("admin")
def revoke_token_view(token_id: int):
    """Revoke an API token; it stops working at once."""
    form = RevokeTokenForm()
    if form.validate_on_submit():
        revoke_token(db.session, actor(), token_id)
        flash(_("The token was revoked."), "success")
    return redirect(url_for("admin.home"))
