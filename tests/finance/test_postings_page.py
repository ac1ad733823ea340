"""Finance's postings page in Danish: the range, the sums per programme, the CSV's button; the
configuration of the accounts checked at start-up."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from contracts.documents.formatting import money
from provider_portal import config
from provider_portal.config import DEMO_POSTING_ACCOUNTS, ConfigError
from provider_portal.extensions import db
from tests.conftest import login
from tests.finance.demo_approvals import approve_demo, approved_net_by_programme


def test_the_page_shows_the_sums_per_programme_in_danish_and_offers_the_csv(app, client, make_user):
    approve_demo(app, "2018-12")
    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        db.session.commit()
        expected = approved_net_by_programme(date(2018, 1, 1), date(2018, 12, 31))
    login(client, "okonomi@example.dk")
    home = client.get("/finance/").get_data(as_text=True)
    assert 'href="/finance/postings"' in home and "Konteringer" in home  # in the menu
    query = {"from_date": "01-01-2018", "to_date": "2018-12-31"}  # typed, or the date control's
    answer = client.get("/finance/postings", query_string=query)
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert "Konteringer til økonomisystemet" in page
    assert "Konteringer 01-01-2018 til 31-12-2018" in page
    for code, net in expected.items():
        assert DEMO_POSTING_ACCOUNTS[code] in page and money(net) in page, code
    assert money(sum(expected.values())) in page  # the total's net
    assert (
        'href="/finance/postings.csv?from_date=2018-01-01&amp;to_date=2018-12-31"'
        in answer.get_data(as_text=True)
    )
    assert "Hent konteringerne (CSV)" in page
    assert 'type="date" value="2018-01-01"' in page  # the typed day, shown by the date control
    download = client.get("/finance/postings.csv", query_string=query)
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")


def test_a_range_the_page_cannot_use_is_said_in_danish_on_its_field(finance):
    answer = finance.get("/finance/postings", query_string={"from_date": "31-02-2018"})
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400 and "“31-02-2018” er ikke en dato" in page
    assert 'type="text" value="31-02-2018"' in page  # shown as typed beside the message
    backwards = {"from_date": "2018-12-31", "to_date": "2018-01-01"}
    for path in ("/finance/postings", "/finance/postings.csv"):
        answer = finance.get(path, query_string=backwards)
        page = html.unescape(answer.get_data(as_text=True))
        assert (
            answer.status_code == 400 and "slutter 01-01-2018, før den begynder 31-12-2018" in page
        )
    empty = finance.get(
        "/finance/postings", query_string={"from_date": "2017-01-01", "to_date": "2017-12-31"}
    )
    assert "Der blev ikke udstedt fakturaer eller kreditnotaer i perioden." in html.unescape(
        empty.get_data(as_text=True)
    )


def test_procurement_may_not_open_the_postings_page(app, client, make_user):
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    login(client, "indkob@example.dk")
    assert client.get("/finance/postings").status_code == 403
    assert client.get("/finance/postings.csv").status_code == 403


def _checked(**settings) -> dict:
    values = {
        **config.from_environment(Path("/nonexistent")),
        "SECRET_KEY": "k" * 40,
        "PSEUDONYM_KEY": "p" * 40,
        **settings,
    }
    config.check(values)
    return values


def test_the_accounts_come_from_json_and_an_unknown_shape_stops_the_start():
    assert _checked()["POSTING_ACCOUNTS"] == DEMO_POSTING_ACCOUNTS
    own = '{"adult-employment": "5.68.90.1.013.4.0"}'
    assert _checked(POSTING_ACCOUNTS=own)["POSTING_ACCOUNTS"] == {
        "adult-employment": "5.68.90.1.013.4.0"
    }
    for wrong, words in [
        ("not json", "must be JSON"),
        ('{"adult-employment": "4410-22"}', "not an account string"),
        ('["5.68.90.1.013.4.9"]', "JSON object"),
        ('{"Adult Employment": "5.68.90.1.013.4.9"}', "not a programme code"),
    ]:
        with pytest.raises(ConfigError, match=words):
            _checked(POSTING_ACCOUNTS=wrong)
    with pytest.raises(ConfigError, match="POSTING_COST_CENTRE"):
        _checked(POSTING_COST_CENTRE="")
