"""The second factor's pages (DESIGN.md §13): the code after the password, enrolment with a QR
code, and new recovery codes. Wrong codes are throttled under the account, as passwords are."""

from __future__ import annotations

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from contracts.rules.problems import N_
from contracts.services import DomainError, second_factor

from .. import transaction
from ..extensions import db, limiter
from ..i18n import say
from ..logins import address_limit
from ..second_factor import box, forget_pending, is_required, pending
from ..security import ALL_ROLES, actor, allow, current
from ..sessions import fresh_login_required
from . import throttle
from .forms import CodeForm, EnrolForm
from .views import (
    actor_of,
    address_key,
    bp,
    count_failure,
    counts_as_failure,
    logged_in,
    wait_answer,
)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(address_limit, key_func=address_key, methods=["POST"], deduct_when=counts_as_failure)
def login_code():
    """The second step of a login: the code from the app, or a recovery code."""
    waiting = pending()
    if waiting is None:
        flash(
            _(
                "Log in with your e-mail and password first (the code must follow within 5 minutes)."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    user, target = waiting
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        wait = throttle.seconds_to_wait(user.email, "code")
        if wait:
            return wait_answer("auth/login_code.html", wait, form=form)
        if second_factor.verify(db.session, actor_of(user), user, form.code.data, box()):
            throttle.succeeded(user.email, "code")
            forget_pending()
            return logged_in(user, target)
        count_failure(user, user.email, "code")
        error = _("Wrong code. Type the 6 digits the app shows now, or a recovery code.")
    return render_template("auth/login_code.html", form=form, error=error), 200


def _qr_code(uri: str) -> str:
    # An SVG as a data: address, which the strict CSP allows for images and no script can use.
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _enrolment_page(form: EnrolForm, error: str | None = None, status: int = 200):
    return render_template("auth/two_factor_enrol.html", error=error, **_enrolment(form)), status


def _enrolment(form: EnrolForm) -> dict:
    """What the enrolment page shows: the QR code and, for typing in, the secret in fours."""
    user = current()
    secret = second_factor.begin_enrolment(user, box())
    uri = second_factor.provisioning_uri(user, secret, current_app.config["MUNICIPALITY_NAME"])
    return {
        "form": form,
        "qr_code": _qr_code(uri),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": is_required(user),
    }


@bp.route("/two-factor", methods=["GET"])
@allow(*ALL_ROLES)
def two_factor():
    """The person's second factor: enrol one, or see it and its recovery codes."""
    user = current()
    if session.get("saml"):
        return render_template("auth/two_factor_sso.html"), 200
    if not second_factor.enrolled(user):
        return _enrolment_page(EnrolForm())
    return render_template(
        "auth/two_factor.html",
        user=user,
        codes_left=second_factor.recovery_codes_left(db.session, user),
        required=is_required(user),
    ), 200


@bp.route("/two-factor", methods=["POST"])
@allow(*ALL_ROLES)
@limiter.limit(address_limit, key_func=address_key, deduct_when=counts_as_failure)
def two_factor_enrol():
    """The first code from the app: the second factor is set up, and the recovery codes shown."""
    user = current()
    form = EnrolForm()
    if not form.validate_on_submit():
        return _enrolment_page(form, status=422)
    wait = throttle.seconds_to_wait(user.email, "code")
    if wait:
        return wait_answer("auth/two_factor_enrol.html", wait, **_enrolment(form))
    try:
        codes = second_factor.confirm_enrolment(db.session, actor(), user, form.code.data, box())
    except DomainError as refusal:
        transaction.rollback()
        count_failure(user, user.email, "code")
        return _enrolment_page(form, error=say(refusal), status=422)
    throttle.succeeded(user.email, "code")
    return render_template("auth/recovery_codes.html", codes=codes, enrolled_now=True), 200


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@allow(*ALL_ROLES)
@fresh_login_required
def new_recovery_codes():
    """Ten new recovery codes; the old ones stop working."""
    codes = second_factor.new_recovery_codes(db.session, actor(), current())
    return render_template("auth/recovery_codes.html", codes=codes, enrolled_now=False), 200


@bp.route("/two-factor/remove", methods=["POST"])
@allow(*ALL_ROLES)
@fresh_login_required
def remove_two_factor():
    """Turn the second factor off, where the person's role does not require one."""
    user = current()
    if is_required(user):
        raise DomainError(
            N_("Your role requires a second factor; it cannot be turned off."), status=409
        )
    second_factor.remove(db.session, actor(), user, "second_factor.removed")
    flash(_("The second factor is turned off. Log in again."), "info")
    return redirect(url_for("auth.login"))
