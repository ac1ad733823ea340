"""The tender forms (forms.TenderForm, forms.DraftForm) and the tender services' terms, both
ways: the new tender page and a draft's edit page read and fill the same fields alike.

Percentages are typed as the page shows them (15 for 15 %) and stored as fractions (0.15).
"""

from __future__ import annotations

from decimal import Decimal

from contracts.models import Lot, Tender
from contracts.rules import tendering as rules
from contracts.services import DomainError
from contracts.services.contract_register import ContractRefused

from .. import transaction
from .problems import show_problems

HUNDRED = Decimal(100)
# A lot's terms on the form, as the services name them in their problems (`lots.N.x`, `lot.x`).
LOT_TERMS = (
    "programme",
    "expected_hours",
    "expected_outcome_rate",
    "w_price",
    "w_quality",
    "estimated_value",
    "max_awards",
    "expected_week13_rate",
    "expected_week26_rate",
    "clawback_days",
)
SHARES = ("expected_week13_rate", "expected_week26_rate")


def refused(error: DomainError, fields: dict) -> list[str]:
    """Put a refusal next to its fields, everything stored undone; return what belongs to no
    field."""
    transaction.rollback()
    problems = error.problems if isinstance(error, ContractRefused) else [error]
    return show_problems(problems, fields)


def tender_fields(form) -> dict:
    """The services' names of a tender's terms mapped to the form's fields."""
    return {
        "title": form.title,
        "procedure": form.procedure,
        "contract_kind": form.contract_kind,
        "deadline": form.deadline,
        "contract_start_date": form.contract_start_on,
        "contract_end_date": form.contract_end_on,
        "contract_max_end_date": form.contract_max_end_on,
    }


def lot_fields(lot, prefix: str) -> dict:
    """A lot sub-form's fields under the services' names with their prefix (`lots.1`, `lot`)."""
    return {f"{prefix}.{name}": lot[name] for name in LOT_TERMS}


def deadline(form):
    """The typed deadline as a Copenhagen moment, None when left empty."""
    return rules.copenhagen_time(form.deadline.data) if form.deadline.data else None


def tender_changes(form) -> dict:
    """The form's tender terms as update_draft takes them (the extension option left empty: none
    beyond the end date, as a new tender)."""
    return {
        "title": form.title.data,
        "procedure": form.procedure.data,
        "contract_kind": form.contract_kind.data,
        "deadline_at": deadline(form),
        "contract_start_on": form.contract_start_on.data,
        "contract_end_on": form.contract_end_on.data,
        "contract_max_end_on": form.contract_max_end_on.data or form.contract_end_on.data,
    }


def lot_changes(lot) -> dict:
    """A lot sub-form's terms as the services take them; the milestone shares and clawback days
    are None unless the lot asks for milestone prices (whatever was typed in them)."""
    asks = bool(lot.milestone_prices.data)
    return {
        "estimated_value": lot.estimated_value.data,
        "expected_hours": lot.expected_hours.data,
        "expected_outcome_rate": lot.expected_outcome_rate.data / HUNDRED,
        "w_price": lot.w_price.data,
        "w_quality": lot.w_quality.data,
        "max_awards": lot.max_awards.data,
        **{name: lot[name].data / HUNDRED if asks else None for name in SHARES},
        "clawback_days": lot.clawback_days.data if asks else None,
    }


def lot_data(lot: Lot) -> dict:
    """A stored lot as its sub-form shows it."""
    return {
        "programme": lot.programme.code,
        "expected_hours": lot.expected_hours,
        "expected_outcome_rate": _percent(lot.expected_outcome_rate),
        "w_price": lot.w_price,
        "w_quality": lot.w_quality,
        "estimated_value": lot.estimated_value,
        "max_awards": lot.max_awards,
        "milestone_prices": lot.milestone_prices,
        **{name: _percent(getattr(lot, name)) for name in SHARES},
        "clawback_days": lot.clawback_days,
    }


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else share * HUNDRED


def tender_data(tender: Tender, lots: list[Lot]) -> dict:
    """A stored draft as the edit form shows it: its terms and the given lots."""
    return {
        "title": tender.title,
        "procedure": tender.procedure,
        "contract_kind": tender.contract_kind,
        "deadline": rules.copenhagen_time(tender.deadline_at) if tender.deadline_at else None,
        "contract_start_on": tender.contract_start_on,
        "contract_end_on": tender.contract_end_on,
        "contract_max_end_on": tender.contract_max_end_on,
        "lots": [lot_data(lot) for lot in lots],
    }
