"""Form fields the portal's forms share."""

from __future__ import annotations

from wtforms import StringField

from contracts.rules.periods import MONTH_RE

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
        if self.data and not MONTH_RE.match(self.data):
            kwargs["type"] = "text"
        return super().__call__(**kwargs)
