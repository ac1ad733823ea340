"""The JSON API under /api/v1/, authenticated by personal bearer tokens.

Each call is declared once (`declare.operation`): the declaration registers the route, checks
the roles, validates the body and query with pydantic and feeds `/api/v1/openapi.json`.
"""

# Importing the modules declares their operations on `bp`.
from . import (  # noqa: F401  # noqa: F401  # noqa: F401
    aggregations,
    audit,
    benchmark,
    bid_attachments,
    budget,
    contract_actions,
    contract_documents,
    contracts,
    documents,
    figures,
    handlers,
    invoices,
    milestones,
    notices,
    ocds,
    openapi,
    postings,
    providers,
    quotas,
    referrals,
    reports,
    tasks,
    tender_material,
    tender_questions,
    tenders,
    tokens,
    users,
)
from .blueprint import bp

__all__ = ["bp"]
