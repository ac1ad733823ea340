"""Form fields the portal's forms share."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Optional, StopValidation
from wtforms.widgets import TextInput

from contracts.documents import formatting
from contracts.rules.money import round_money
from contracts.rules.periods import is_month
from contracts.rules.problems import N_

from .danish_numbers import NotANumber, ambiguous_readings, read_number

# WTForms' own messages that the portal's fields can give, translated in messages.po as the
# portal's are (WTForms ships no Danish); the plural "Field cannot be longer than %(max)d
# characters." and its kin are in the catalogue too.
WTFORMS_MESSAGES = (
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("This field is required."),
    N_("Invalid email address."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
)


class _Catalogue:
    """WTForms' messages through the portal's catalogue, in the request's language. Unformatted:
    WTForms puts in its own values."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


CATALOGUE = _Catalogue()


class PortalForm(FlaskForm):
    """A page's form: as Flask-WTF's, with WTForms' own messages in the page's language."""

    class Meta:
        def get_translations(self, form):
            return CATALOGUE


class PortalSubform(Form):
    """A form repeated inside a PortalForm (a FormField), its messages in the page's language."""

    class Meta:
        def get_translations(self, form):
            return CATALOGUE


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


# The largest amount a money column (Numeric(12, 2)) holds.
MONEY_MAX = Decimal("9999999999.99")
NUMBER_INPUT = {"inputmode": "decimal", "autocomplete": "off"}
MONEY_UNITS = ("kr.", "kr", "dkk")


def _locale() -> str:
    return str(get_locale() or "da")


def _shown(value: Decimal, grouped: bool, places: int) -> str:
    """A number as the page's language writes it; never 4.500 alone, which reads two ways."""
    if grouped:
        return formatting.number(value, _locale(), places)
    text = format(value, "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") if _locale() == "da" else text


class NumberField(StringField):
    """A number typed as text, read as Danes write it (danish_numbers.read_number): 4.500,50,
    4500,50 and 4500.50 alike. `data` is a Decimal with at most `places` decimals (two, or four
    for a weight, as the columns keep them; an amount rounded only by round_money), None when
    empty. A value that is no number, is ambiguous, has more decimals or is out of [minimum,
    maximum] is refused with one message, in the page's language, that quotes it and says what
    to write; nothing else is checked after it.

    A text box, not type="number": a browser's number field drops or misreads a decimal comma
    depending on the browser's language, and takes 1e5.
    """

    widget = TextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal = MONEY_MAX,
        units: tuple[str, ...] = (),
        money: bool = False,
        places: int = 2,
        range_message=None,
        **kwargs,
    ):
        kwargs.setdefault("render_kw", dict(NUMBER_INPUT))
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.places = minimum, maximum, places
        self.units, self.money, self.range_message = units, money, range_message
        self.problem: str | None = None

    def process_data(self, value) -> None:
        self.data = None if value is None else Decimal(value)

    def process_formdata(self, valuelist) -> None:
        self.problem, self.data = None, None
        text = (valuelist[0] if valuelist else "") or ""
        if not text.strip():
            # Spaces alone are no value: InputRequired and Optional then see an empty box.
            self.raw_data = [""]
            return
        try:
            value = read_number(text, self.units)
        except NotANumber as refused:
            self.problem = refused.kind
            return
        # A number with more whole digits than the maximum is refused by its range, before its
        # decimals are counted (a 40-digit number has more digits than Decimal keeps).
        fits = value.adjusted() <= self.maximum.adjusted()
        if fits and value != value.quantize(Decimal(1).scaleb(-self.places)):
            self.problem = "decimals"
            return
        if not fits:
            self.data = value
            return
        # Amounts are kept to the øre, as stored; other numbers as typed (0,5 stays 0.5).
        self.data = round_money(value) if self.money else value

    def pre_validate(self, form) -> None:
        if self.problem is None and self.data is None:
            return
        message = self._refusal()
        if message:
            raise StopValidation(message)

    def _refusal(self) -> str | None:
        value = ((self.raw_data or [""])[0] or "").strip()[:40]
        if self.problem == "shape":
            return _(
                "“%(value)s” is not a number: write it in digits, such as %(example)s.",
                value=value,
                example=self._show(Decimal("4500.50") if self.money else Decimal("12.5")),
            )
        if self.problem == "ambiguous":
            whole, fraction = ambiguous_readings(value)
            return _(
                "“%(value)s” could mean %(whole)s or %(fraction)s: write the one you mean as %(whole)s or %(fraction)s.",
                value=value,
                whole=str(whole),
                fraction=self._show(fraction),
            )
        if self.problem == "decimals" and self.places == 4:
            return _("“%(value)s” has more than four decimals.", value=value)
        if self.problem == "decimals":
            return _("“%(value)s” has more than two decimals.", value=value)
        if not self._out_of_range():
            return None
        below = self.minimum is not None and self.data < self.minimum
        if self.range_message is not None:
            return str(self.range_message)
        if below:
            return _("Must not be negative.")
        return _(
            "“%(value)s” is more than %(maximum)s.", value=value, maximum=self._show(self.maximum)
        )

    def _out_of_range(self) -> bool:
        if self.data is None:
            return False
        return (self.minimum is not None and self.data < self.minimum) or self.data > self.maximum

    def _show(self, value: Decimal) -> str:
        return _shown(value, grouped=self.money, places=2)

    def _value(self) -> str:
        # Refused, or out of range in a row the form did not check (a lot left empty): shown as
        # typed, since a number of more digits than Decimal keeps cannot be written grouped.
        if self.raw_data and (self.problem or self.errors or self._out_of_range()):
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self._show(self.data)


def money_field(label, required: bool = True, maximum: Decimal = MONEY_MAX) -> NumberField:
    """An amount in kroner and øre, 0 or more (a trailing "kr." is fine)."""
    first = InputRequired(_l("Give the amount.")) if required else Optional()
    return NumberField(label, [first], maximum=maximum, units=MONEY_UNITS, money=True)
