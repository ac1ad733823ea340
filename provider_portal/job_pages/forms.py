"""The form that starts a month's aggregation: shape only; aggregation.start checks the rest."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Regexp

from contracts.rules.periods import MONTH_RE

from ..form_fields import MonthField


class StartAggregationForm(FlaskForm):
    """A month written YYYY-MM (what a browser's month field sends)."""

    month = MonthField(
        _l("Month"),
        validators=[
            DataRequired(_l("Choose the month to aggregate.")),
            Regexp(MONTH_RE, message=_l("Write the month as YYYY-MM, such as 2019-01.")),
        ],
    )
