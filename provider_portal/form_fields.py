"""Form fields the portal's forms share."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from wtforms import StringField
from wtforms.validators import StopValidation

from contracts.rules.periods import is_month

MONTH_INPUT = {"type": "month", "placeholder": "2019-01", "autocomplete": "off"}
DATE_INPUT = {"type": "date", "placeholder": "24-01-2019", "autocomplete": "off"}
# As the browser's date control sends a day, and as Danes type one.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def read_day(text: str | None) -> date | None:
    """A day written in one of DATE_FORMATS; None for anything else."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


class DayField(StringField):
    """A day box (the browser's date control, or typed as 24-01-2019); `day` is the day read,
    None when empty. A value that is no day is refused with a Danish message on the field."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", DATE_INPUT)
        super().__init__(label, validators, **kwargs)

    @property
    def day(self) -> date | None:
        return read_day(self.data)

    def pre_validate(self, form) -> None:
        if (self.data or "").strip() and self.day is None:
            raise StopValidation(
                _(
                    "“%(value)s” is not a date: write it as DD-MM-YYYY, such as 31-12-2018.",
                    value=(self.data or "")[:40],
                )
            )


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
