"""The forms of API tokens, shared by everyone's token page and the administrator's list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .form_fields import DayField, PortalForm


class CreateTokenForm(PortalForm):
    """A personal API token for the logged-in user; the name says what it is for."""

    name = StringField(
        _l("What the token is for"),
        validators=[
            DataRequired(_l("Give the token a name, so you know later what it is for.")),
            Length(max=100, message=_l("The name is too long.")),
        ],
    )
    expires_on = DayField(
        _l("Works until"),
        description=_l("At most a year from today; left empty, 90 days."),
    )


class RevokeTokenForm(PortalForm):
    """A button that revokes one token (the id is in the URL); the form carries the CSRF token."""
