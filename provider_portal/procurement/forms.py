"""The procurement entry forms: providers, a new tender with its lots (and a draft's changes), a
contract entered directly.

Forms check shape only (required, types, ranges); what the values mean (a CVR's check digit,
weights adding up to 1, an end before a start) is the services' to decide, and their
problems are shown next to the fields by the views.
"""

from __future__ import annotations

from decimal import Decimal

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from contracts.models.procurement import PROCEDURES
from contracts.rules.milestones import MOST_CLAWBACK_DAYS

from ..form_fields import NumberField, PortalForm, PortalSubform, money_field

PERCENT_RANGE = _l("A percentage from 0 to 100.")


def _percent(label, default=None, maximum=Decimal(100), message=PERCENT_RANGE):
    return NumberField(
        label,
        [InputRequired(_l("Give the percentage."))],
        default=default,
        maximum=maximum,
        units=("%",),
        range_message=message,
    )


def _share(label):
    """An expected share of participants in percent, asked for only with milestone prices."""
    return NumberField(
        label, [Optional()], maximum=Decimal(100), units=("%",), range_message=PERCENT_RANGE
    )


def _clawback_days(label):
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(0, MOST_CLAWBACK_DAYS, _l("From 0 to 3660 days."))],
    )


def _weight(label, default):
    return NumberField(
        label,
        [InputRequired(_l("Give the weight."))],
        default=default,
        maximum=Decimal(1),
        # As the column keeps it (Numeric(6, 4)): a weight of 0.625 set through the API is
        # saved again as it stands when the draft is edited on the page.
        places=4,
        range_message=_l("A weight from 0 to 1."),
    )


PROCEDURE_LABELS = {
    "open": _l("Open procedure"),
    "restricted": _l("Restricted procedure"),
    "competitive_negotiation": _l("Competitive procedure with negotiation"),
    "light_regime": _l("Light regime (social services)"),
}
TENDER_KINDS = [
    SelectChoice("special_effort", _l("Special-effort agreement")),
    SelectChoice("framework", _l("Framework agreement")),
]
CONTRACT_KINDS = TENDER_KINDS + [SelectChoice("call_off", _l("Call-off contract"))]
# Who issues the contract's invoices (DESIGN.md §6), as the contract page names the two terms.
INVOICING_TERMS = [
    SelectChoice("self_billing", _l("Self-billing")),
    SelectChoice("provider_issued", _l("The provider issues the invoice")),
]


class ProviderForm(PortalForm):
    """A provider's name, CVR, GLN/EAN, contact person and postal address."""

    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the provider's name.")), Length(max=200)]
    )
    cvr = StringField(
        _l("CVR number"),
        validators=[DataRequired(_l("Give the CVR number.")), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    gln = StringField(
        _l("GLN/EAN location number (for e-invoices)"),
        validators=[Optional(), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = StringField(
        _l("Contact email"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Give an email address such as name@example.dk."), check_deliverability=False),
        ],
    )
    # The postal address invoices print; the service checks the postcode (4 digits).
    street = StringField(
        _l("Street and number"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "street-address"},
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[Optional(), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )
    city = StringField(
        _l("City"),
        validators=[Optional(), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )


class LotForm(PortalSubform):
    """One programme's lot; only the ticked ones become lots (no CSRF token of its own)."""

    programme = HiddenField()
    chosen = BooleanField(_l("Include this programme"))
    expected_hours = NumberField(
        _l("Expected hours a month"),
        [InputRequired(_l("Give the hours."))],
        default=Decimal("80"),
        maximum=Decimal(1000),
        range_message=_l("Hours from 0 to 1,000."),
    )
    expected_outcome_rate = _percent(_l("Expected outcome rate (%)"), default=Decimal("15"))
    w_price = _weight(_l("Weight of price"), Decimal("0.6"))
    w_quality = _weight(_l("Weight of quality"), Decimal("0.4"))
    estimated_value = money_field(_l("Estimated value"), required=False)
    max_awards = IntegerField(
        _l("Providers awarded"),
        default=1,
        validators=[
            InputRequired(_l("Give the number.")),
            NumberRange(min=1, max=20, message=_l("From 1 to 20.")),
        ],
    )
    # Milestone prices (DESIGN.md §15): the outcome rate is the share reaching the start.
    milestone_prices = BooleanField(_l("Ask for milestone prices (13 and 26 weeks)"))
    expected_week13_rate = _share(_l("Expected still in the job or education after 13 weeks (%)"))
    expected_week26_rate = _share(_l("Expected still in the job or education after 26 weeks (%)"))
    clawback_days = _clawback_days(
        _l("Clawback days (a relapse within them takes a paid milestone back)")
    )


class TenderForm(PortalForm):
    """A new tender from scratch: its terms and one lot per chosen programme."""

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the tender a title.")), Length(max=300)]
    )
    procedure = SelectField(
        _l("Procedure"),
        choices=[SelectChoice(p, PROCEDURE_LABELS[p]) for p in PROCEDURES],
        default="open",
    )
    contract_kind = SelectField(
        _l("Kind of contract"), choices=TENDER_KINDS, default="special_effort"
    )
    deadline = DateTimeLocalField(
        _l("Deadline for bids (Copenhagen time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    contract_start_on = DateField(_l("Contracts start"), validators=[Optional()])
    contract_end_on = DateField(_l("Contracts end"), validators=[Optional()])
    contract_max_end_on = DateField(
        _l("Latest end date under the extension option"), validators=[Optional()]
    )
    lots = FieldList(FormField(LotForm))

    def is_chosen(self, lot) -> bool:
        return bool(lot.chosen.data)

    def chosen_lots(self) -> list:
        """The lot subforms whose programme is ticked, in programme order."""
        return [entry.form for entry in self.lots if self.is_chosen(entry.form)]

    def validate(self, extra_validators=None) -> bool:
        """Shape only; a programme left unticked is not checked, and at least one must be ticked."""
        super().validate(extra_validators)
        for entry in self.lots:
            if not self.is_chosen(entry.form):
                for field in entry.form:
                    field.errors = []
            elif entry.form.milestone_prices.data:
                for share in (entry.form.expected_week13_rate, entry.form.expected_week26_rate):
                    if share.data is None and not share.errors:
                        share.errors = [_l("Give the expected share.")]
        if self.lots.entries and not self.chosen_lots():
            self.lots.errors = [_l("Choose at least one programme: each becomes a lot.")]
        else:
            self.lots.errors = [e for e in self.lots.errors if isinstance(e, str)]
        return not self._has_errors()

    def _has_errors(self) -> bool:
        for field in self:
            if field is self.lots:
                if self.lots.errors or any(f.errors for entry in self.lots for f in entry.form):
                    return True
            elif field.errors:
                return True
        return False


class DraftLotForm(LotForm):
    """A draft's lot as it stands: its programme is the lot's, not chosen again."""

    chosen = None


class DraftForm(TenderForm):
    """A draft tender's terms and every one of its lots (no lot added or taken away here)."""

    lots = FieldList(FormField(DraftLotForm))

    def is_chosen(self, lot) -> bool:
        return True


class ContractForm(PortalForm):
    """A contract entered directly, as the agreements signed before the portal were."""

    provider_id = SelectField(
        _l("Provider"), coerce=int, validators=[InputRequired(_l("Choose the provider."))]
    )
    programme = SelectField(
        _l("Programme"), validators=[InputRequired(_l("Choose the programme."))]
    )
    kind = SelectField(_l("Kind"), choices=CONTRACT_KINDS, default="special_effort")
    reference = StringField(
        _l("Reference (left empty: the next free one)"), validators=[Optional(), Length(max=40)]
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    start_on = DateField(_l("Start date"), validators=[DataRequired(_l("Give the start date."))])
    end_on = DateField(_l("End date"), validators=[DataRequired(_l("Give the end date."))])
    max_end_on = DateField(
        _l("Latest end date under the extension option (left empty: the end date)"),
        validators=[Optional()],
    )
    monthly_fee = money_field(_l("Monthly fee per participant"))
    hourly_rate = money_field(_l("Hourly rate"))
    outcome_bonus = money_field(_l("Outcome bonus (job or education)"))
    vat_rate = _percent(
        _l("VAT (%)"),
        default=Decimal("25"),
        maximum=Decimal("99.99"),
        message=_l("A percentage from 0 up to 100."),
    )
    ceiling = money_field(_l("Ceiling (the contract's maximum value)"))
    # Milestone terms (DESIGN.md §15): the outcome bonus is the start milestone.
    week13 = money_field(_l("Job or education lasted 13 weeks"), required=False)
    week26 = money_field(_l("Job or education lasted 26 weeks"), required=False)
    clawback_days = _clawback_days(
        _l("Clawback days (a relapse within them takes a paid milestone back)")
    )
    predecessor_id = SelectField(_l("Continues the contract"), coerce=int, default=0)
    invoicing = SelectField(_l("Invoicing"), choices=INVOICING_TERMS, default="self_billing")


class BidForm(PortalForm):
    """A provider's price terms on a lot; `confirmed` is set by the step that shows them back."""

    monthly_fee = money_field(_l("Monthly fee per participant"))
    hourly_rate = money_field(_l("Hourly rate"))
    outcome_bonus = money_field(_l("Outcome bonus (job or education)"))
    # On a lot that asks for milestone prices (the outcome bonus is the start milestone); the
    # service refuses a bid on such a lot without them.
    week13 = money_field(_l("Job or education lasted 13 weeks"), required=False)
    week26 = money_field(_l("Job or education lasted 26 weeks"), required=False)
    confirmed = HiddenField()


def answer_status(form, problem: str | None) -> int:
    """422 when a posted form was refused (by its shape or by the rules), else 200."""
    return 422 if problem is not None or (request.method == "POST" and form.errors) else 200
