"""Valid bodies of the API's calls, in the shapes the API documents: a contract, a tender with
one lot, and a bid's prices. A test changes what it is about and keeps the rest."""

from __future__ import annotations

LOT = {
    "programme": "adult-employment",
    "estimated_value": "1000000.00",
    "expected_hours": "80.00",
    "expected_outcome_rate": "0.15",
    "w_price": "0.6",
    "w_quality": "0.4",
}
TENDER = {
    "title": "Beskæftigelsesforløb 30+",
    "deadline": "2019-03-15T12:00",
    "contract_start_date": "2019-09-01",
    "contract_end_date": "2021-08-31",
    "lots": [LOT],
}
PRICES = {"monthly_fee": "9000.00", "hourly_rate": "45.00", "outcome_bonus": "20000.00"}


def contract_body(provider: int, **changes) -> dict:
    """A valid contract body: the 2018 special-effort agreement of the seed, in its shape."""
    body = {
        "provider_id": provider,
        "programme": "adult-employment",
        "kind": "special_effort",
        "start_date": "2018-03-01",
        "end_date": "2019-02-28",
        "max_end_date": "2019-08-31",
        "monthly_fee": "9500.00",
        "hourly_rate": "185.50",
        "outcome_bonus": "15000.00",
        "vat_rate": "0.25",
        "ceiling": "3150000.00",
    }
    body.update(changes)
    return body


def contract_form(provider: int, **changes) -> dict:
    """The new-contract page's form, filled in as a person types the 2018 agreement (Danish
    decimals, a percentage for VAT)."""
    form = {
        "provider_id": str(provider),
        "programme": "adult-employment",
        "kind": "special_effort",
        "reference": "SÆR-2018-03",
        "title": "Særindsats voksne",
        "start_on": "2018-03-01",
        "end_on": "2019-03-31",
        "max_end_on": "2019-08-31",
        "monthly_fee": "9500,00",
        "hourly_rate": "45",
        "outcome_bonus": "15000",
        "vat_rate": "25",
        "ceiling": "3000000",
        "predecessor_id": "0",
    }
    form.update(changes)
    return form
