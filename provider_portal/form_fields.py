"""Form fields the portal's forms share."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import StopValidation

from contracts.rules.periods import is_month

MONTH_INPUT = {"type": "month", "placeholder": "2019-01", "autocomplete": "off"}


class MonthField(StringField):
    """A month box (YYYY-MM, what a browser's month control sends).

    A value that is not a month is drawn as a text box, which shows it back as typed: the
    browser's month control would show it as empty beside the message that quotes it.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", MONTH_INPUT)
        super().__init__(label, validators, **kwargs)

    def __call__(self, **kwargs):
        if self.data and not is_month(self.data):
            kwargs["type"] = "text"
        return super().__call__(**kwargs)


class IsMonth:
    """A field's check: empty, or a month written YYYY-MM; anything else is refused with `message`
    (a callable is given the field, to quote the value) and ends the field's checks."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not is_month(field.data):
            message = self.message(field) if callable(self.message) else self.message
            raise StopValidation(message)
