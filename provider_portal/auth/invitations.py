"""The one-time links' pages (DESIGN.md §13): a person follows an invitation or a reset link and
chooses their own password; "Glemt adgangskode?" mails a reset link. The answer to a reset
request is the same whether or not the e-mail is known, and both pages are throttled per address.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from contracts.services import DomainError, invitations
from contracts.services.accounts import MIN_PASSWORD_LENGTH

from .. import clock, mail, transaction
from ..extensions import db, limiter
from ..form_fields import PortalForm
from ..i18n import say
from .views import bp

LINK_LIMIT = "20 per minute"


class ChoosePasswordForm(PortalForm):
    """The password the person chooses, twice."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Fill in a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password", "autofocus": True},
    )
    repeat = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ForgotPasswordForm(PortalForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Fill in your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )


@bp.route("/password/set", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
def set_password():
    """Choose one's password through a one-time link (`?token=`); a used or expired link says so."""
    token = request.args.get("token", "")
    if not token:  # no link at all: the page says how to get one
        return render_template("auth/link_expired.html"), 200
    link = invitations.find_link(db.session, token, clock.now())
    if link is None:
        return render_template("auth/link_expired.html"), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            invitations.use_link(
                db.session, token, form.password.data, request.remote_addr, clock.now()
            )
        except DomainError as refusal:
            transaction.rollback()
            form.password.errors.append(say(refusal))
        else:
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, link=link), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
def forgot_password():
    """Mail a reset link when the e-mail is an active user's; the answer never says which."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        found = invitations.request_reset(
            db.session, form.email.data, request.remote_addr, clock.now()
        )
        if found is not None:
            user, token = found
            mail.send_link(user, token, "reset")
        flash(
            _(
                "If the e-mail belongs to an account, a link to choose a new password is on its "
                "way. It works once, for 72 hours."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), (
        422 if request.method == "POST" else 200
    )
