"""The invoice filters of finance's desk and of a provider's invoice page: Flask-WTF forms read
from the query string (GET forms: they can be bookmarked, and they change nothing, so they carry
no CSRF token).

A value that cannot be used is not dropped silently: it is kept with a message in Danish for
its field, and the page answers 400 with the form instead of a list whose count and sums would
not be what the user asked for.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from contracts.rules.periods import is_month
from contracts.services.invoice_search import InvoiceFilter

from .form_fields import IsMonth, MonthField, PortalForm

ID_RE = re.compile(r"^\d{1,9}$")  # an id column's range on PostgreSQL, with room to spare
PAGE_RE = re.compile(r"^[1-9]\d{0,5}$")


def _typed(field) -> str:
    """The field's value as it came in the query string."""
    return field.raw_data[0] if field.raw_data else ""


def _shown(field) -> str:
    """The value typed, cut short for a message."""
    text = _typed(field)
    return text if len(text) <= 40 else text[:39] + "…"


def _id(value):
    """An id as its number; other text stays text, which no choice matches."""
    text = str(value)
    return int(text) if ID_RE.match(text) else text


class _Select(Select):
    """WTForms' select with each option written `<option value="x" selected>`, as the desk always has."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        selected = " selected" if choice.selected else ""
        return Markup(  # nosec B704 # both values escaped just below
            f'<option value="{escape(choice.value)}"{selected}>{escape(choice.label)}</option>'
        )


class OfferedField(SelectField):
    """A select whose first, empty choice filters on nothing; a value it does not offer is refused
    with `refusal`, a message quoting the value (%(value)s)."""

    widget = _Select()

    def __init__(self, label, refusal, **kwargs):
        super().__init__(label, **kwargs)
        self.refusal = refusal

    def pre_validate(self, form):
        if not any(choice.selected for choice in self.iter_choices()):
            raise ValidationError(self.refusal % {"value": _shown(self)})


class TickField(BooleanField):
    """A checkbox that sends 1: any other value is refused, not read as a tick."""

    def process_formdata(self, valuelist):
        self.data = valuelist[:1] == ["1"]

    def pre_validate(self, form):
        if _typed(self) not in ("", "1"):
            raise ValidationError(_("Tick the box or leave it empty."))


# Empty, or a month written YYYY-MM; a wrong one is quoted back and ends the field's checks.
_month = IsMonth(
    lambda field: _(
        "“%(value)s” is not a month: write it as YYYY-MM, such as 2019-01.", value=_shown(field)
    )
)


class _QueryForm(PortalForm):
    """A filter read from the query string: no CSRF token, its fields' ids `filter-<name>`, and the
    page number the pager's links carry. `NAMES` are its query-string names, page last."""

    NAMES: tuple[str, ...] = ("page",)

    class Meta:
        csrf = False

        def bind_field(self, form, unbound_field, options):
            # Ids of their own on the page (a "status" or a "kind" could be anything's), as they always were.
            return unbound_field.bind(form=form, id=f"filter-{options['name']}", **options)

    page = StringField()  # not a field of the form: the pager's links carry it

    @classmethod
    def typed(cls, args: MultiDict) -> MultiDict:
        """The form's values in the query string, trimmed."""
        return MultiDict({name: args.get(name, "").strip() for name in cls.NAMES})

    def validate_page(self, field) -> None:
        if not PAGE_RE.match(field.data or "1"):
            raise ValidationError(
                _(
                    "“%(value)s” is not a page number: use a whole number from 1.",
                    value=_shown(field),
                )
            )

    @property
    def page_number(self) -> int:
        return int(self.page.data) if PAGE_RE.match(self.page.data or "") else 1

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (without the page), for links and exports."""
        return {name: _typed(self[name]) for name in self.NAMES[:-1] if _typed(self[name])}


class InvoiceFilterForm(_QueryForm):
    """The finance desk's filter: provider, contract, programme, months, status, kind, the ceiling.

    Read it with `read`, which gives the selects their choices: the ones the page offers the viewer.
    """

    NAMES = (
        "provider_id",
        "contract_id",
        "programme",
        "month_from",
        "month_to",
        "status",
        "kind",
        "exceeds_ceiling",
        "page",
    )

    provider_id = OfferedField(
        _l("Provider"),
        _l("There is no provider “%(value)s”: choose one from the list."),
        coerce=_id,
    )
    contract_id = OfferedField(
        _l("Contract"),
        _l("There is no contract “%(value)s”: choose one from the list."),
        coerce=_id,
    )
    programme = OfferedField(
        _l("Programme"), _l("There is no programme “%(value)s”: choose one from the list.")
    )
    month_from = MonthField(_l("From month"), validators=[_month])
    month_to = MonthField(_l("To month"), validators=[_month])
    status = OfferedField(
        _l("Status"),
        _l("“%(value)s” is not a status: choose one from the list."),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("awaiting_provider", _l("Waiting for the provider to issue it")),
            SelectChoice("awaiting_attestation", _l("Waiting for attestation")),
            SelectChoice("returned", _l("Returned to attestation")),
            SelectChoice("attested", _l("Waiting for approval")),
            SelectChoice("approved", _l("Approved")),
        ],
    )
    kind = OfferedField(
        _l("Kind"),
        _l("“%(value)s” is not a kind: choose invoice or credit note."),
        choices=[
            SelectChoice("", _l("All kinds")),
            SelectChoice("invoice", _l("Invoice")),
            SelectChoice("credit_note", _l("Credit note")),
        ],
    )
    exceeds_ceiling = TickField(
        _l("Ceiling"), description=_l("Only above the ceiling"), render_kw={"value": "1"}
    )

    @classmethod
    def read(
        cls,
        args: MultiDict,
        providers: list[SelectChoice],
        contracts: list[SelectChoice],
        programmes: list[SelectChoice],
    ) -> InvoiceFilterForm:
        """The filter in the query string, checked; `?month=YYYY-MM` (what other pages link to) is one month."""
        typed = cls.typed(args)
        if args.get("month") and not (typed["month_from"] or typed["month_to"]):
            typed["month_from"] = typed["month_to"] = args.get("month", "").strip()
        form = cls(formdata=typed)
        form.provider_id.choices = [SelectChoice("", _("All providers")), *providers]
        form.contract_id.choices = [SelectChoice("", _("All contracts")), *contracts]
        form.programme.choices = [SelectChoice("", _("All programmes")), *programmes]
        form.validate()
        return form

    def validate_month_to(self, field) -> None:
        if is_month(self.month_from.data) and field.data and field.data < self.month_from.data:
            raise ValidationError(_("The last month comes before the first."))

    @property
    def invoice_filter(self) -> InvoiceFilter:
        """What the filter finds (of a form without errors)."""
        return InvoiceFilter(
            provider_id=self.provider_id.data or None,
            contract_id=self.contract_id.data or None,
            programme=self.programme.data or None,
            month_from=self.month_from.data or None,
            month_to=self.month_to.data or None,
            status=self.status.data or None,
            kind=self.kind.data or None,
            exceeds_ceiling=self.exceeds_ceiling.data,
        )

    def month_span(self) -> str:
        """The months filtered on, for an export's file name: 2019-01, 2018-11-2019-01 or alle."""
        first, last = self.month_from.data, self.month_to.data
        if first and first == last:
            return first
        if first or last:
            return f"{first or 'start'}-{last or 'slut'}"
        return "alle"


class ProviderInvoiceFilterForm(_QueryForm):
    """A provider's filter of its own invoices: one of its contracts, and a month."""

    NAMES = ("contract_id", "month", "page")

    contract_id = OfferedField(
        _l("Contract"),
        _l("There is no contract “%(value)s”: choose one from the list."),
        coerce=_id,
    )
    month = MonthField(_l("Month"), validators=[_month])

    @classmethod
    def read(cls, args: MultiDict, contracts: list[SelectChoice]) -> ProviderInvoiceFilterForm:
        """The filter in the query string, checked; the contracts are the provider's own."""
        form = cls(formdata=cls.typed(args))
        form.contract_id.choices = [SelectChoice("", _("All contracts")), *contracts]
        form.validate()
        return form

    @property
    def invoice_filter(self) -> InvoiceFilter:
        """What the filter finds (of a form without errors)."""
        return InvoiceFilter(
            contract_id=self.contract_id.data or None,
            month_from=self.month.data or None,
            month_to=self.month.data or None,
        )
