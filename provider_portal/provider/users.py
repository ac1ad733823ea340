"""A provider's administrator's users page (`provider_admin`, DESIGN.md §1): its own provider's
users, invited, deactivated and reactivated; another provider's user is not found. A provider
user who does not administer users is refused (403)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from contracts.services.user_admin import is_provider_admin, managed_users

from ..extensions import db
from ..security import allow, current
from ..sessions import fresh_login_required
from ..user_pages import (
    ActivityForm,
    ProviderInviteForm,
    invite_from,
    reset_second_factor_from,
    set_active_from,
)
from .views import bp


def _administrator():
    me = current()
    if not is_provider_admin(me):
        abort(403)
    return me


def _page(form: ProviderInviteForm | None = None, status: int = 200):
    me = _administrator()
    return render_template(
        "provider/users.html",
        users=managed_users(db.session, me),
        form=form or ProviderInviteForm(prefix="user"),
        activity_form=ActivityForm(),
        me=me,
    ), status


@bp.route("/users")
@allow("provider")
def users():
    """The provider's own users and the form to invite a colleague."""
    return _page()


@bp.route("/users", methods=["POST"])
@allow("provider")
@fresh_login_required
def invite_user():
    """Invite a colleague of the same provider; the link is mailed."""
    me = _administrator()
    form = ProviderInviteForm(prefix="user")
    if form.validate_on_submit() and invite_from(
        form, "provider", me.provider_id, form.manages_users.data
    ):
        return redirect(url_for("provider.users"))
    return _page(form, 422)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@allow("provider")
@fresh_login_required
def deactivate_user(user_id: int):
    """Deactivate a colleague; another provider's user is not found (404)."""
    set_active_from(user_id, False)
    return redirect(url_for("provider.users"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@allow("provider")
@fresh_login_required
def reactivate_user(user_id: int):
    """Reactivate a colleague; another provider's user is not found (404)."""
    set_active_from(user_id, True)
    return redirect(url_for("provider.users"))


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
@allow("provider")
@fresh_login_required
def reset_user_second_factor(user_id: int):
    """Reset a colleague's second factor (a lost phone); another provider's user is not found."""
    reset_second_factor_from(user_id)
    return redirect(url_for("provider.users"))
