"""The start page, which sends each role to its own home page, and what every page's frame shows."""

from dataclasses import dataclass

from flask import Blueprint, redirect, url_for
from flask_babel import lazy_gettext as _l

from .. import clock
from ..security import ALL_ROLES, ROLE_LABELS, allow, current

bp = Blueprint("home", __name__)

ROLE_HOMES = {
    "procurement": "procurement.home",
    "provider": "provider.home",
    "finance": "finance.home",
    "admin": "admin.home",
}


# The navigation of each role: (endpoint, label). The first entry is the role's home page.
@dataclass(frozen=True)
class NavItem:
    """A menu item; it is marked current on its own page and on the deeper pages of its section."""

    endpoint: str
    label: str
    section: tuple[str, ...] = ()  # endpoints, or "blueprint." for a whole blueprint

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        return endpoint == self.endpoint or any(
            endpoint == s or (s.endswith(".") and endpoint.startswith(s)) for s in self.section
        )


_CONTRACTS = NavItem(
    "procurement.contracts",
    _l("Contracts"),
    (
        "procurement.contract",
        "procurement.new_contract",
        "procurement.report",
        "procurement.extend_contract",
        "procurement.refer_citizen",
    ),
)
# Finance reads the contracts (DESIGN §1: read-only elsewhere) to check an invoice against its
# price terms and ceiling, and the list is where it finds a contract without an invoice in hand;
# it is an item of its own because finance reaches only the list and a contract's page.
_CONTRACTS_READ = NavItem("procurement.contracts", _l("Contracts"), ("procurement.contract",))
_PROVIDERS = NavItem(
    "procurement.providers",
    _l("Providers"),
    ("procurement.provider", "procurement.new_provider", "procurement.edit_provider"),
)
_TENDERS = NavItem(
    "procurement.tenders",
    _l("Tenders"),
    ("procurement.tender", "procurement.new_tender", "procurement.retender", "procurement.bid"),
)
_INVOICES = NavItem(
    "finance.invoices",
    _l("Invoices"),
    ("finance.invoice", "finance.report_line", "finance.document"),
)
# Procurement's invoices to attest, and an invoice's page (shared with finance), where it attests.
_ATTESTATION = NavItem("procurement.attestation", _l("Invoices"), ("finance.invoice",))
# Procurement's exit notices to decide, and the absence notices for the caseworkers.
_NOTICES = NavItem("procurement.notices_queue", _l("Notices"), ("procurement.absences",))
_SCORES = NavItem("scores.index", _l("Scores"), ("scores.",))
_AGGREGATION = NavItem("job_pages.index", _l("Aggregation"), ("job_pages.job",))
# Finance reads the comparison as it reads the scores (provider_portal/benchmark READERS).
_COMPARE = NavItem("benchmark.index", _l("Compare cities"), ("benchmark.",))

NAVIGATION = {
    "procurement": [
        NavItem("procurement.home", _l("Overview")),
        _CONTRACTS,
        _ATTESTATION,
        _NOTICES,
        _PROVIDERS,
        _TENDERS,
        _SCORES,
        _COMPARE,
        _AGGREGATION,
        NavItem("procurement.users", _l("Users")),
    ],
    "provider": [
        NavItem("provider.home", _l("Overview"), ("provider.report", "provider.notices_list")),
        NavItem(
            "provider.invoices", _l("Invoices"), ("provider.invoice", "provider.invoice_document")
        ),
        _TENDERS,
        _SCORES,
    ],
    "finance": [
        NavItem("finance.home", _l("Overview")),
        _INVOICES,
        NavItem("finance.postings_page", _l("Postings")),
        _CONTRACTS_READ,
        _SCORES,
        _COMPARE,
        _AGGREGATION,
    ],
    "admin": [
        NavItem("admin.home", _l("Users and tokens")),
        NavItem("admin.audit", _l("Audit log")),
        NavItem("job_pages.failed", _l("Failed jobs")),
        NavItem("mail_admin.listing", _l("Outbox"), ("mail_admin.",)),
    ],
}


@bp.route("/")
@allow(*ALL_ROLES)
def index():
    """Send the user to the home page of their role."""
    return redirect(url_for(ROLE_HOMES[current().role]))


@bp.app_context_processor
def _page_frame() -> dict:
    # Every page's header needs the portal's date (and whether it is a fixed demo date),
    # the navigation of the user's role and the role's name.
    return {
        "portal_today": clock.today(),
        "demo_clock": clock.is_fixed(),
        "NAVIGATION": NAVIGATION,
        "ROLE_LABELS": ROLE_LABELS,
    }
