"""Account strings of the municipal chart of accounts, as the ERP's posting lines carry them.

A municipality books its spending on the authorised chart of accounts, "Budget- og
regnskabssystem for kommuner" (Social- og Boligstyrelsen, earlier the Ministry of the
Interior). The portal writes an account string as dot-separated parts:

    5.68.90.1.013.4.9.03
    │ │  │  │ │   │ │ └─ the municipality's own specification (1–4 digits, optional): the
    │ │  │  │ │   │ │    authorised chart leaves room for local detail; here the programme
    │ │  │  │ │   └─┴─── art: main type (hovedart) and type of the spending; 4.9 "Øvrige
    │ │  │  │ │          tjenesteydelser m.v." (4.0 is services bought without VAT)
    │ │  │  │ └───────── grouping (gruppering, three digits) within the function
    │ │  │  └─────────── dranst (1 = operating expenditure, drift)
    └─┴──┴────────────── function 5.68.90 "Driftsudgifter til den kommunale
                         beskæftigelsesindsats" (main account 5, main function 5.68)

Only the shape is checked here; whether a grouping exists in this year's chart is the ERP's
to say (its groupings change with the rules for state refunds).
"""

from __future__ import annotations

import re

ACCOUNT_RE = re.compile(r"^\d\.\d{2}\.\d{2}\.\d\.\d{3}\.\d\.\d(\.\d{1,4})?$")
COST_CENTRE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/]{0,19}$")
PROGRAMME_CODE_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
EXAMPLE_ACCOUNT = "5.68.90.1.013.4.9.03"


def account_problem(text: object) -> str | None:
    """Why `text` is not an account string (None when it is one)."""
    if not isinstance(text, str) or not ACCOUNT_RE.match(text):
        return (
            f"{text!r} is not an account string: write function, dranst, grouping, art and an "
            f"optional local part with dots, such as {EXAMPLE_ACCOUNT}"
        )
    return None


def cost_centre_problem(text: object) -> str | None:
    """Why `text` is not a cost centre (None when it is one): 1–20 letters, digits, '.', '-', '/'."""
    if not isinstance(text, str) or not COST_CENTRE_RE.match(text):
        return (
            f"{text!r} is not a cost centre: 1 to 20 letters or digits (and . - /), "
            "starting with a letter or digit"
        )
    return None


def accounts_problem(accounts: object) -> str | None:
    """Why `accounts` is not a mapping of programme codes to account strings (None when it is)."""
    if not isinstance(accounts, dict) or not accounts:
        return "must be a JSON object of programme codes and account strings"
    for code, account in accounts.items():
        if not isinstance(code, str) or not PROGRAMME_CODE_RE.match(code):
            return f"{code!r} is not a programme code such as adult-employment"
        problem = account_problem(account)
        if problem is not None:
            return f"{code}: {problem}"
    return None
