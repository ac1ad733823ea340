"""Login forms: shape only; the account check is in contracts.services.accounts and the code's in
contracts.services.second_factor."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..form_fields import PortalForm


def _code_field(required: bool, autofocus: bool = False) -> StringField:
    """The second factor's code: 6 digits from the app, or a recovery code."""
    return StringField(
        _l("Code from your authenticator app"),
        description=_l("6 digits, or one of your recovery codes."),
        validators=[
            DataRequired(_l("Fill in the code.")) if required else Optional(),
            Length(max=20),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "autofocus": autofocus,
        },
    )


def _password_field(autofocus: bool = False) -> PasswordField:
    return PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password", "autofocus": autofocus},
    )


class LoginForm(PortalForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Fill in your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = _password_field()
    # Shown only while the account must wait after wrong passwords: the right password with the
    # second factor gets in even then (DESIGN.md §13).
    code = _code_field(required=False)


class CodeForm(PortalForm):
    """The second factor's code after the password."""

    code = _code_field(required=True, autofocus=True)


class ReauthForm(PortalForm):
    """The password again, and the code when the person has a second factor, before a
    sensitive action (DESIGN.md §13)."""

    password = _password_field(autofocus=True)
    code = _code_field(required=False)


class EnrolForm(PortalForm):
    """The first code from the app, which proves it holds the secret."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Fill in the code.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )
