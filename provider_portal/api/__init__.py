"""The JSON API under /api/v1/, authenticated by personal bearer tokens.

Each call is declared once (`declare.operation`): the declaration registers the route, checks
the roles, validates the body and query with pydantic and feeds `/api/v1/openapi.json`.
"""

# Importing the modules declares their operations on `bp`.
from . import aggregations, contracts, handlers, openapi, providers, reports  # noqa: F401
from . import contract_actions, ocds, referrals, tenders  # noqa: F401
from . import budget, invoices  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
