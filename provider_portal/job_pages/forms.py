"""The form that starts a month's aggregation: shape only; aggregation.start checks the rest."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired

from ..form_fields import IsMonth, MonthField, PortalForm


class StartAggregationForm(PortalForm):
    """A month written YYYY-MM (what a browser's month field sends)."""

    month = MonthField(
        _l("Month"),
        validators=[
            DataRequired(_l("Choose the month to aggregate.")),
            IsMonth(_l("Write the month as YYYY-MM, such as 2019-01.")),
        ],
    )
