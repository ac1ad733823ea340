"""What the users pages share (the administrator's, procurement's and a provider's
administrator's): the invitation forms, the buttons that deactivate and reactivate, and the
edge of each. The domain decides who may manage whom (contracts.services.user_admin); a refusal
it raises out of here answers 403 or 404 (another provider's user is not found).
"""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from contracts.services import DomainError, invitations
from contracts.services.user_admin import reset_second_factor, set_user_active

from . import clock, mail, transaction
from .extensions import db
from .form_fields import PortalForm
from .i18n import say
from .security import actor, current

NO_PROVIDER = 0


class InviteForm(PortalForm):
    """A new user's e-mail and name; the person chooses their own password by the mailed link."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Fill in the e-mail address.")),
            Email(_l("This is not a valid e-mail address."), check_deliverability=False),
            Length(max=254, message=_l("The e-mail address is too long.")),
        ],
    )
    name = StringField(
        _l("Name"), validators=[Optional(), Length(max=200, message=_l("The name is too long."))]
    )


class StaffInviteForm(InviteForm):
    """The administrator's: one of the municipality's staff roles."""

    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])


class ProviderInviteForm(InviteForm):
    """A provider's administrator's: a colleague, who may administer users too."""

    manages_users = BooleanField(_l("Provider administrator (may invite and deactivate users)"))


class ProcurementInviteForm(ProviderInviteForm):
    """Procurement's: a user of any provider."""

    provider_id = SelectField(_l("Provider"), coerce=int, default=NO_PROVIDER)


class ActivityForm(PortalForm):
    """A button that deactivates, reactivates or approves one user; the form carries CSRF."""


def invite_from(form: InviteForm, role: str, provider_id: int | None, manages_users: bool) -> bool:
    """Invite from a validated form; the link is mailed after the commit. A problem with the
    input is shown at its field (False); a refusal of who may do it is raised (403/404)."""
    try:
        invited = invitations.invite(
            db.session,
            actor(),
            current(),
            form.email.data,
            role,
            provider_id,
            form.name.data or "",
            manages_users,
            clock.now(),
        )
    except DomainError as refusal:
        if refusal.status in (403, 404) and refusal.field not in ("role", "provider_id"):
            raise
        transaction.rollback()
        if refusal.status == 409:
            form.email.errors.append(_("A user with this e-mail exists already."))
        else:
            field = getattr(form, refusal.field or "", None) or form.email
            field.errors.append(say(refusal))
        return False
    user = invited.user
    if invited.token is None:
        flash(
            _(
                "%(email)s is invited and awaits approval by procurement before the invitation "
                "is sent.",
                email=user.email,
            ),
            "success",
        )
    else:
        mail.send_link(user, invited.token, "invitation")
        flash(_("An invitation was sent to %(email)s.", email=user.email), "success")
    return True


def set_active_from(user_id: int, active: bool) -> None:
    """Deactivate or reactivate from a button's post; refused as the domain says."""
    if not ActivityForm().validate_on_submit():
        return
    user = set_user_active(db.session, actor(), current(), user_id, active)
    if active:
        flash(_("%(email)s is active again.", email=user.email), "success")
    else:
        flash(
            _("%(email)s is deactivated; their sessions and API tokens stopped.", email=user.email),
            "success",
        )


def reset_second_factor_from(user_id: int) -> None:
    """Reset a user's second factor from a button's post (a lost phone); refused as the domain
    says."""
    if not ActivityForm().validate_on_submit():
        return
    user = reset_second_factor(db.session, actor(), current(), user_id)
    flash(
        _(
            "The second factor of %(email)s is reset: their sessions ended, and they set up a new "
            "one at their next login.",
            email=user.email,
        ),
        "success",
    )
