"""The administrator's forms: shape only; contracts.services.accounts checks meaning."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from contracts.services.accounts import MIN_PASSWORD_LENGTH

NO_PROVIDER = 0


class CreateUserForm(FlaskForm):
    """A new user: e-mail, name, role, a provider for provider users, and a first password."""

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
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    provider_id = SelectField(_l("Provider"), coerce=int, default=NO_PROVIDER)
    password = PasswordField(
        _l("Password"),
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
        render_kw={"autocomplete": "new-password"},
    )

    def validate_provider_id(self, field) -> None:
        """A provider user belongs to exactly one provider; the municipality's staff to none."""
        if self.role.data == "provider" and field.data == NO_PROVIDER:
            raise ValidationError(_l("A provider user must belong to a provider."))
        if self.role.data != "provider" and field.data != NO_PROVIDER:
            raise ValidationError(_l("Only provider users belong to a provider."))
