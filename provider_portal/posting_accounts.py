"""The ERP's account strings and cost centre from the configuration, for the pages and the API."""

from __future__ import annotations

from flask import current_app

from contracts.services.postings import PostingAccounts


def posting_accounts() -> PostingAccounts:
    """POSTING_ACCOUNTS and POSTING_COST_CENTRE as checked at start-up (`config.check`)."""
    config = current_app.config
    return PostingAccounts(config["POSTING_ACCOUNTS"], config["POSTING_COST_CENTRE"])
