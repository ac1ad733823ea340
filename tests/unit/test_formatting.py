"""Dates, numbers and money as Danish (and English) readers expect them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from provider_portal import formatting


@pytest.fixture
def babel_app():
    """A bare Flask app with Babel, Danish by default: the formatters need nothing more."""
    app = Flask(__name__)
    Babel(app, default_locale="da")
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(
    ("amount", "danish", "english"),
    [
        (Decimal("123898.04"), "123.898,04 kr.", "DKK 123,898.04"),
        (Decimal(12600000), "12.600.000,00 kr.", "DKK 12,600,000.00"),
        (Decimal(0), "0,00 kr.", "DKK 0.00"),
        (Decimal("0.005"), "0,01 kr.", "DKK 0.01"),  # half up, as everywhere in the portal
        (Decimal("-1234.5"), "-1.234,50 kr.", "DKK -1,234.50"),
    ],
)
def test_money(babel_app, amount, danish, english):
    with force_locale("da"):
        assert formatting.money(amount) == danish
    with force_locale("en"):
        assert formatting.money(amount) == english


def test_money_without_currency_and_empty(babel_app):
    with force_locale("da"):
        assert formatting.money(Decimal("1234.5"), currency=False) == "1.234,50"
        assert formatting.money(None) == ""


def test_day(babel_app):
    with force_locale("da"):
        assert formatting.day(date(2019, 1, 24)) == "24-01-2019"
        assert formatting.day(None) == ""
        # 23:30 UTC on 31 December is already New Year's Day in Copenhagen.
        assert formatting.day(datetime(2018, 12, 31, 23, 30, tzinfo=UTC)) == "01-01-2019"
    with force_locale("en"):
        assert formatting.day(date(2019, 1, 24)) == "24 Jan 2019"


def test_month(babel_app):
    with force_locale("da"):
        assert formatting.month("2019-01") == "januar 2019"
    with force_locale("en"):
        assert formatting.month("2019-01") == "January 2019"


def test_number_and_percent(babel_app):
    with force_locale("da"):
        assert formatting.number(1234567) == "1.234.567"
        assert formatting.number(Decimal("163.857"), 2) == "163,86"
        assert formatting.percent(Decimal("0.162")) == "16,2 %"
        assert formatting.percent(None) == "–"
    with force_locale("en"):
        assert formatting.percent(Decimal("0.162")) == "16.2 %"
