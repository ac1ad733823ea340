"""The invoice desk's filter, read from the query string (a GET form: it can be bookmarked, and
it changes nothing, so it carries no CSRF token).

A value that cannot be used is not dropped silently: it is kept with a message in Danish for
its field, and the desk answers 400 with the form instead of a list whose count and sums would
not be what the user asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from contracts.models.invoices import INVOICE_KINDS, INVOICE_STATUSES
from contracts.rules.periods import MONTH_RE
from contracts.services.invoice_search import InvoiceFilter

ID_RE = re.compile(r"^\d{1,9}$")  # an id column's range on PostgreSQL, with room to spare
PAGE_RE = re.compile(r"^[1-9]\d{0,5}$")
# The query-string names, in the order a URL of the desk spells them.
NAMES = ("provider_id", "contract_id", "programme", "month_from", "month_to", "status", "kind",
         "exceeds_ceiling")


@dataclass
class DeskFilter:
    """The filter as typed (to show it back), what it means, and a message per unusable field."""

    values: dict[str, str]
    invoice_filter: InvoiceFilter
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, args: MultiDict, provider_ids: set[int], contract_ids: set[int],
             programmes: set[str]) -> DeskFilter:
        """Read the query string; `?month=YYYY-MM` (what other pages link to) is one month."""
        values = {name: args.get(name, "").strip() for name in NAMES}
        if args.get("month") and not (values["month_from"] or values["month_to"]):
            values["month_from"] = values["month_to"] = args.get("month", "").strip()
        errors: dict[str, str] = {}
        criteria: dict = {}

        def shown(name: str) -> str:
            text = values[name]
            return text if len(text) <= 40 else text[:39] + "…"

        def one_of(name: str, known, message: str, read=str) -> None:
            # An empty field filters on nothing; a value must be one the form offers.
            text = values[name]
            if not text:
                return
            if (read is int and not ID_RE.match(text)) or read(text) not in known:
                errors[name] = message
            else:
                criteria[name] = read(text)

        one_of("provider_id", provider_ids,
               _("There is no provider “%(value)s”: choose one from the list.", value=shown("provider_id")), int)
        one_of("contract_id", contract_ids,
               _("There is no contract “%(value)s”: choose one from the list.", value=shown("contract_id")), int)
        one_of("programme", programmes,
               _("There is no programme “%(value)s”: choose one from the list.", value=shown("programme")))
        for name in ("month_from", "month_to"):
            if values[name]:
                if MONTH_RE.match(values[name]):
                    criteria[name] = values[name]
                else:
                    errors[name] = _("“%(value)s” is not a month: write it as YYYY-MM, such as 2019-01.",
                                     value=shown(name))
        if criteria.get("month_from", "") > criteria.get("month_to", "9999-12"):
            errors["month_to"] = _("The last month comes before the first.")
        one_of("status", INVOICE_STATUSES,
               _("“%(value)s” is not a status: choose draft or approved.", value=shown("status")))
        one_of("kind", INVOICE_KINDS,
               _("“%(value)s” is not a kind: choose invoice or credit note.", value=shown("kind")))
        if values["exceeds_ceiling"] not in ("", "1"):
            errors["exceeds_ceiling"] = _("Tick the box or leave it empty.")
        criteria["exceeds_ceiling"] = values["exceeds_ceiling"] == "1"
        page = args.get("page", "").strip() or "1"
        if not PAGE_RE.match(page):
            errors["page"] = _("“%(value)s” is not a page number: use a whole number from 1.",
                               value=page if len(page) <= 40 else page[:39] + "…")
        return cls(values, InvoiceFilter(**criteria), int(page) if PAGE_RE.match(page) else 1, errors)

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (without the page), for links and exports."""
        return {name: value for name, value in self.values.items() if value}

    def month_span(self) -> str:
        """The months filtered on, for an export's file name: 2019-01, 2018-11-2019-01 or alle."""
        first, last = self.invoice_filter.month_from, self.invoice_filter.month_to
        if first and first == last:
            return first
        if first or last:
            return f"{first or 'start'}-{last or 'slut'}"
        return "alle"
