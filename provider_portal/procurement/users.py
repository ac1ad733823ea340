"""Procurement's users page: providers' users (invite, deactivate, reactivate) and the staff
accounts awaiting a second person's approval (DESIGN.md §13). Whoever invited an account never
approves it (contracts.services.user_admin)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.services import invitations
from contracts.services.account_listing import provider_names
from contracts.services.user_admin import awaiting_approval, managed_users

from .. import clock, mail
from ..extensions import db
from ..security import actor, allow, current
from ..sessions import fresh_login_required
from ..user_pages import (
    NO_PROVIDER,
    ActivityForm,
    ProcurementInviteForm,
    invite_from,
    reset_second_factor_from,
    set_active_from,
)
from .views import bp


def _invite_form() -> ProcurementInviteForm:
    form = ProcurementInviteForm(prefix="user")
    form.provider_id.choices = [(NO_PROVIDER, "—")] + provider_names(db.session)
    return form


def _page(form: ProcurementInviteForm | None = None, status: int = 200):
    return render_template(
        "procurement/users.html",
        users=managed_users(db.session, current()),
        pending=awaiting_approval(db.session),
        form=form or _invite_form(),
        activity_form=ActivityForm(),
        me=current(),
    ), status


@bp.route("/users")
@allow("procurement")
def users():
    """Staff awaiting approval, the providers' users, and the form to invite one."""
    return _page()


@bp.route("/users", methods=["POST"])
@allow("procurement")
@fresh_login_required
def invite_user():
    """Invite a user (or an administrator) of a provider; the link is mailed."""
    form = _invite_form()
    if form.validate_on_submit():
        if form.provider_id.data == NO_PROVIDER:
            form.provider_id.errors.append(_("A provider user must belong to a provider."))
        elif invite_from(form, "provider", form.provider_id.data, form.manages_users.data):
            return redirect(url_for("procurement.users"))
    return _page(form, 422)


@bp.route("/users/<int:user_id>/approve", methods=["POST"])
@allow("procurement")
@fresh_login_required
def approve_user(user_id: int):
    """Approve a staff account someone else invited; its invitation is sent now."""
    if ActivityForm().validate_on_submit():
        approved = invitations.approve(db.session, actor(), current(), user_id, clock.now())
        mail.send_link(approved.user, approved.token, "invitation")
        flash(
            _("%(email)s is approved and the invitation was sent.", email=approved.user.email),
            "success",
        )
    return redirect(url_for("procurement.users"))


@bp.route("/users/<int:user_id>/decline", methods=["POST"])
@allow("procurement")
@fresh_login_required
def decline_user(user_id: int):
    """Decline a staff account someone else invited: it stays inactive and is not invited."""
    if ActivityForm().validate_on_submit():
        declined = invitations.decline(db.session, actor(), current(), user_id)
        flash(_("%(email)s was declined and is not invited.", email=declined.email), "success")
    return redirect(url_for("procurement.users"))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@allow("procurement")
@fresh_login_required
def deactivate_user(user_id: int):
    set_active_from(user_id, False)
    return redirect(url_for("procurement.users"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@allow("procurement")
@fresh_login_required
def reactivate_user(user_id: int):
    set_active_from(user_id, True)
    return redirect(url_for("procurement.users"))


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
@allow("procurement")
@fresh_login_required
def reset_user_second_factor(user_id: int):
    """Reset a provider user's second factor (a lost phone)."""
    reset_second_factor_from(user_id)
    return redirect(url_for("procurement.users"))
