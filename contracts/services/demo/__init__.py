"""The demo data: the seed's situation on 24 January 2019, loaded once into an empty database.

What it reproduces (seed/README.md, DESIGN.md §3): the four programmes; four special-effort
agreements from 2018, each extended to 31 August 2019 by an amendment; the existing framework
agreements for the under-30 programmes, expiring on 31 March 2019; 107 citizens referred in
2018 and January 2019, of whom 70 are still active and 37 have exited (6 to job or education,
17 benefit stopped, 14 other); an accepted monthly report for every contract and month up to
November 2018; December's reports accepted but one waiting for review and one late; January
2019 not yet reportable (one draft); January's exits as confirmed exit notices, with a few
exit notices waiting for procurement and a few absence notices. There is work for every role.

In three steps, each its own module: `plan` says what the demo must contain, `generator`
turns that into citizens and report lines (pure, seeded), and `loader` writes them through
the services (`load_demo`).
"""

from __future__ import annotations

from ...rules.report_checks import WEEKLY_CEILING
from .generator import (
    HALF,
    REF_ALPHABET,
    CitizenPlan,
    LinePlan,
    NoticePlan,
    ReportPlan,
    plan_citizens,
    plan_notices,
    plan_reports,
)
from .loader import load_demo
from .plan import (
    CONTRACTS,
    DEMO_ACTOR,
    DEMO_PASSWORD,
    DEMO_PROVIDER_KEY,
    DEMO_SEED,
    DEMO_TODAY,
    DEMO_USERS,
    EXIT_REASONS_PLANNED,
    EXTENDED_AT,
    EXTENSION_REASON,
    FRAMEWORK_END,
    FRAMEWORK_MAX_END,
    FRAMEWORK_START,
    PROVIDERS,
    RETENDER_CREATED_AT,
    RETENDER_DEADLINE,
    RETENDER_PUBLISHED_AT,
    SPECIAL_EXTENDED_END,
    SPECIAL_ORIGINAL_END,
    SPECIAL_START,
    WEEKLY_HOURS,
    ContractPlan,
)

__all__ = [
    "CONTRACTS",
    "DEMO_ACTOR",
    "DEMO_PASSWORD",
    "DEMO_PROVIDER_KEY",
    "DEMO_SEED",
    "DEMO_TODAY",
    "DEMO_USERS",
    "EXIT_REASONS_PLANNED",
    "EXTENDED_AT",
    "EXTENSION_REASON",
    "FRAMEWORK_END",
    "FRAMEWORK_MAX_END",
    "FRAMEWORK_START",
    "HALF",
    "PROVIDERS",
    "REF_ALPHABET",
    "RETENDER_CREATED_AT",
    "RETENDER_DEADLINE",
    "RETENDER_PUBLISHED_AT",
    "SPECIAL_EXTENDED_END",
    "SPECIAL_ORIGINAL_END",
    "SPECIAL_START",
    "WEEKLY_CEILING",
    "WEEKLY_HOURS",
    "CitizenPlan",
    "ContractPlan",
    "LinePlan",
    "NoticePlan",
    "ReportPlan",
    "load_demo",
    "plan_citizens",
    "plan_notices",
    "plan_reports",
]
