"""Tenders from draft to concluded contracts (DESIGN.md §3), and the re-tender of expiring contracts.

Every step is guarded: it checks everything first and refuses with a plain reason
(`DomainError`: 422 when the rules forbid it, 409 when the tender's state does), so a refusal
changes nothing. Every step that changes something is an audit event.

The steps live by what they do; callers import this package and use `tenders.<name>`:
- `reading`: a tender as a viewer may see it, its status now, the contracts it replaces;
- `terms`: a tender's and its lots' terms, their defaults and checks;
- `drafting`: the draft and its lots, publication, cancellation;
- `bids`: a provider's bid, and who sees which bid;
- `awarding`: evaluation, award, standstill, conclusion;
- `retendering`: the re-tender of expiring contracts;
- `ocds_export`: the tenders and contracts as OCDS processes;
- `material`: the tender's documents in versions, and its deadline moved with a reason;
- `questions`: the question deadline, questions and answers;
- `guards`: the checks every step starts with.
The decisions where the design is silent are written in the module they concern.
"""

from .awarding import (
    Concluded,
    LotEvaluation,
    QualityScore,
    award,
    awarded_bids,
    conclude,
    evaluate,
    evaluation,
)
from .bids import BidPrices, bid_page, submit_bid, visible_bids
from .drafting import (
    LOT_FIELDS,
    TENDER_FIELDS,
    cancel,
    create_tender,
    publish,
    update_draft,
    update_lot,
)
from .ocds_export import CONTRACT_OCDS_STATUS, TenderLinks, ocds_processes
from .questions import question_deadline
from .reading import (
    get_tender,
    history,
    list_tenders,
    predecessors,
    status_now,
    succession_warnings,
    tender_page,
)
from .retendering import LIVE_STATUSES, retender
from .terms import (
    DEFAULT_EXPECTED_HOURS,
    DEFAULT_OUTCOME_RATE,
    DEFAULT_W_PRICE,
    DEFAULT_W_QUALITY,
    ONE,
    REFERENCE_PREFIX,
    LotTerms,
    TenderTerms,
)

__all__ = [
    "CONTRACT_OCDS_STATUS",
    "DEFAULT_EXPECTED_HOURS",
    "DEFAULT_OUTCOME_RATE",
    "DEFAULT_W_PRICE",
    "DEFAULT_W_QUALITY",
    "LIVE_STATUSES",
    "LOT_FIELDS",
    "ONE",
    "REFERENCE_PREFIX",
    "TENDER_FIELDS",
    "BidPrices",
    "Concluded",
    "LotEvaluation",
    "LotTerms",
    "QualityScore",
    "TenderLinks",
    "TenderTerms",
    "award",
    "awarded_bids",
    "bid_page",
    "cancel",
    "conclude",
    "create_tender",
    "evaluate",
    "evaluation",
    "get_tender",
    "history",
    "list_tenders",
    "ocds_processes",
    "predecessors",
    "publish",
    "question_deadline",
    "retender",
    "status_now",
    "submit_bid",
    "succession_warnings",
    "tender_page",
    "update_draft",
    "update_lot",
    "visible_bids",
]
