"""Money and hours fields read numbers as Danes write them, and refuse what could be misread."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from provider_portal.danish_numbers import NotANumber, read_number
from provider_portal.procurement.forms import BidForm, ContractForm, LotForm


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4.500,50", "4500.50"),
        ("4500,50", "4500.50"),
        ("4500.50", "4500.50"),
        ("1.250.000,00", "1250000.00"),
        ("1,250,000.00", "1250000.00"),
        ("1.250.000", "1250000"),
        ("4 500,50", "4500.50"),
        ("4\u00a0500,5", "4500.5"),
        ("4500", "4500"),
        ("0,6", "0.6"),
        ("0.600", "0.600"),
        ("4500.500", "4500.500"),
        ("-12,5", "-12.5"),
    ],
)
def test_danish_and_plain_writings_are_read_exactly(text, value):
    assert read_number(text) == Decimal(value)


def test_a_trailing_unit_is_read_past():
    assert read_number("4.500,50 kr.", ("kr.", "kr")) == Decimal("4500.50")
    assert read_number("25 %", ("%",)) == Decimal("25")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("4.500", "ambiguous"),
        ("4,500", "ambiguous"),
        ("123.456", "ambiguous"),
        ("inf", "shape"),
        ("Infinity", "shape"),
        ("-Infinity", "shape"),
        ("NaN", "shape"),
        ("1e5", "shape"),
        ("1E5", "shape"),
        ("1_000", "shape"),
        ("0x10", "shape"),
        ("4.50.0", "shape"),
        ("4,500.50.1", "shape"),
        ("1.2345,00", "shape"),
        ("12.50,5.0", "shape"),
        (",5", "shape"),
        ("5,", "shape"),
        ("٤٥", "shape"),
        ("fire", "shape"),
        ("kr.", "shape"),
    ],
)
def test_what_could_be_misread_or_is_no_number_is_refused(text, kind):
    with pytest.raises(NotANumber) as refused:
        read_number(text, ("kr.",))
    assert refused.value.kind == kind


def _bid(app, language: str, **values) -> BidForm:
    data = {"monthly_fee": "9000", "hourly_rate": "450", "outcome_bonus": "15000", **values}
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        form = BidForm(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        # Errors and the value shown back are rendered in the request, as the page does.
        return form, [str(e) for e in form.monthly_fee.errors], form.monthly_fee._value()


@pytest.mark.parametrize("text", ["inf", "Infinity", "NaN", "1e5", "1_000", "-inf"])
def test_a_bid_of_infinity_or_a_python_spelling_is_refused_with_one_danish_message(app, text):
    form, errors, shown = _bid(app, "da", monthly_fee=text)
    assert form.monthly_fee.data is None
    assert errors == [f"“{text}” er ikke et tal: skriv det med cifre, fx 4.500,50."]
    assert shown == text  # shown back as typed, beside the message that quotes it


def test_the_same_refusal_is_english_on_an_english_page(app):
    _form, errors, _shown = _bid(app, "en", monthly_fee="Infinity")
    assert errors == ["“Infinity” is not a number: write it in digits, such as 4,500.50."]


def test_an_ambiguous_amount_says_both_readings(app):
    _form, errors, _shown = _bid(app, "da", monthly_fee="4.500")
    assert errors == [
        "“4.500” kan betyde både 4500 og 4,50: skriv det, du mener, som 4500 eller 4,50."
    ]
    _form, errors, _shown = _bid(app, "en", monthly_fee="4,500")
    assert errors == ["“4,500” could mean 4500 or 4.50: write the one you mean as 4500 or 4.50."]


@pytest.mark.parametrize(
    ("text", "stored", "shown_da"),
    [
        ("4.500,50", "4500.50", "4.500,50"),
        ("4500,50", "4500.50", "4.500,50"),
        ("4500.50", "4500.50", "4.500,50"),
        ("1.250.000,00", "1250000.00", "1.250.000,00"),
        ("4500,5 kr.", "4500.50", "4.500,50"),
    ],
)
def test_an_amount_is_stored_to_the_ore_and_shown_back_the_danish_way(app, text, stored, shown_da):
    form, errors, shown = _bid(app, "da", monthly_fee=text)
    assert errors == []
    assert form.monthly_fee.data == Decimal(stored)
    assert str(form.monthly_fee.data) == stored  # two decimals, as the Numeric(12, 2) column
    assert shown == shown_da


def test_an_amount_with_ore_fractions_or_beyond_the_column_or_negative_is_refused(app):
    assert _bid(app, "da", monthly_fee="4500,505")[1] == ["“4500,505” har mere end to decimaler."]
    assert _bid(app, "da", monthly_fee="10.000.000.000,00")[1] == [
        "“10.000.000.000,00” er mere end 9.999.999.999,99."
    ]
    assert _bid(app, "da", monthly_fee="-5")[1] == ["Må ikke være negativt."]
    assert _bid(app, "da", monthly_fee="")[1] == ["Angiv beløbet."]
    assert _bid(app, "da", monthly_fee="   ")[1] == ["Angiv beløbet."]


def test_a_number_longer_than_decimal_keeps_is_refused_by_its_range_not_a_500(app):
    forty = "1" * 30  # with ",5", 32 digits: more than Decimal keeps (28)
    assert _bid(app, "da", monthly_fee=forty)[1] == [f"“{forty}” er mere end 9.999.999.999,99."]
    assert _bid(app, "da", monthly_fee=f"{forty},5")[1] == [
        f"“{forty},5” er mere end 9.999.999.999,99."
    ]
    assert _bid(app, "da", monthly_fee=f"-{forty}")[1] == ["Må ikke være negativt."]


def test_the_million_of_the_issue_is_read_with_no_second_wrong_sentence(app):
    with app.test_request_context():
        form = ContractForm(formdata=MultiDict({"ceiling": "1.250.000,00"}), meta={"csrf": False})
        form.provider_id.choices = form.programme.choices = form.predecessor_id.choices = []
        form.validate()
        assert form.ceiling.errors == [] and form.ceiling.data == Decimal("1250000.00")


def test_hours_weights_and_percentages_take_the_same_writing_and_their_own_range(app):
    with app.test_request_context():
        lot = LotForm(
            formdata=MultiDict(
                {
                    "expected_hours": "1.000",
                    "expected_outcome_rate": "15,5 %",
                    "w_price": "0,6",
                    "w_quality": "0.4",
                    "estimated_value": "",
                    "max_awards": "1",
                }
            )
        )
        lot.validate()
        # 1.000 hours is ambiguous (a thousand, or one), refused; the rest read.
        assert len(lot.expected_hours.errors) == 1 and "1.000" in lot.expected_hours.errors[0]
        assert lot.expected_outcome_rate.data == Decimal("15.50")
        assert (lot.w_price.data, lot.w_quality.data) == (Decimal("0.60"), Decimal("0.40"))
        assert lot.estimated_value.data is None and not lot.estimated_value.errors
        lot = LotForm(formdata=MultiDict({"expected_hours": "1001", "w_price": "1,5"}))
        lot.validate()
        assert [str(e) for e in lot.expected_hours.errors] == ["Timer fra 0 til 1.000."]
        assert [str(e) for e in lot.w_price.errors] == ["En vægt fra 0 til 1."]
