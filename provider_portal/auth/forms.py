"""Login form: shape only; the account check is in contracts.services.accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..form_fields import PortalForm


class LoginForm(PortalForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Fill in your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ReauthForm(PortalForm):
    """The password again, before a sensitive action (DESIGN.md §13)."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
