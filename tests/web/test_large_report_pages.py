"""A month of more participants than the report page draws whole (issue 16): the page links to the
web form on its own page and shows its stored lines a page at a time, totals of all lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, ReportLine
from contracts.services.accounts import create_user
from contracts.services.audit import PARTICIPANTS_READ
from contracts.services.paging import PER_PAGE
from provider_portal.extensions import db
from provider_portal.provider.reports import LARGE_MONTH
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, login
from tests.pages import PageParts
from tests.scenarios import other_provider_scenario, sample_scenario
from tests.web.report_page_client import PAGE, filled_with_one_bad_line, form_fields, upload

COUNT = LARGE_MONTH + 20  # three pages of lines: 50, 50 and 20
REFS = [f"DL-{n:05d}" for n in range(1, COUNT + 1)]
FORM = PAGE + "/form"


@pytest.fixture
def large(app):
    """A contract of COUNT participants and its coordinator; another provider's coordinator."""
    with app.app_context():
        found = sample_scenario(db.session, refs=REFS)
        other = other_provider_scenario(db.session)
        create_user(
            db.session, TEST_ACTOR, "stor@example.dk", "provider", TEST_PASSWORD, found.provider_id
        )
        create_user(
            db.session, TEST_ACTOR, "anden@example.dk", "provider", TEST_PASSWORD, other.provider_id
        )
        db.session.commit()
    return found


def _client(app, email="stor@example.dk"):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _planned(n: int) -> int:
    return 10 + n % 30  # under the hours ceiling of a participant who exits mid-month


def _report_csv() -> bytes:
    """Line n plans _planned(n) hours and delivers an hour less, absent that hour; every tenth
    exits."""
    rows = ["deltager;timer_planlagt;timer_leveret;fravær_timer;status;afgangsdato;afgangsårsag"]
    for n, ref in enumerate(REFS, start=1):
        exit_ = "afgået;16-01-2019;job" if n % 10 == 0 else "aktiv;;"
        rows.append(f"{ref};{_planned(n)};{_planned(n) - 1};1;{exit_}")
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


def _reads(app) -> set[str]:
    with app.app_context():
        return {
            e.details["page"]
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == PARTICIPANTS_READ)
            )
        }


def test_a_large_months_page_links_to_its_form_instead_of_drawing_it(app, large):
    client = _client(app)
    response = client.get(PAGE.format(large.contract_id))
    assert response.status_code == 200
    parts = PageParts(response.get_data(as_text=True))
    assert not parts.xpath("//input[starts-with(@name, 'lines-')]")
    assert not parts.xpath("//select[starts-with(@name, 'lines-')]")
    assert f"Webformularen har {COUNT} linjer" in parts.text
    [link] = parts.xpath("//a[text()='Åbn webformularen']/@href")
    assert link == FORM.format(large.contract_id)
    # The file upload stays on the report page.
    assert parts.xpath("//form[contains(@action, '/upload')]")
    assert _reads(app) == {"provider.report"}


def test_the_form_page_saves_a_draft_and_shows_a_bad_lines_problem_on_itself(app, large):
    client = _client(app)
    page = client.get(FORM.format(large.contract_id))
    assert page.status_code == 200
    assert "Webformular for januar 2019" in PageParts(page.get_data(as_text=True)).text
    assert _reads(app) == {"provider.report_form"}
    fields = form_fields(page.get_data(as_text=True))
    assert sorted(v for k, v in fields.items() if k.endswith("participant_ref")) == REFS
    row = filled_with_one_bad_line(fields, "DL-00007")
    refused = client.post(FORM.format(large.contract_id), data=fields)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    text = PageParts(html).text
    # The form page again, not the light report page: the line's problem beside it.
    assert "Webformular for januar 2019" in text and "Indberetningen blev ikke gemt" in text
    row_html = html[html.index('id="line-7"') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "loftet" in row_html and 'value="400"' in row_html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReportLine.id))) == 0
    fields[row + "hours_delivered"] = "148"
    saved = client.post(FORM.format(large.contract_id), data=fields)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(PAGE.format(large.contract_id))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReportLine.id))) == COUNT


def test_the_stored_lines_are_paged_with_the_totals_of_all_lines(app, large):
    client = _client(app)
    assert upload(client, large.contract_id, data=_report_csv()).status_code == 302
    planned = sum(_planned(n) for n in range(1, COUNT + 1))
    totals = [
        f"{planned:,}".replace(",", ".") + ",00",
        f"{planned - COUNT:,}".replace(",", ".") + ",00",
        f"{COUNT},00",
        f"{COUNT // 10} afgange",
    ]
    seen = []
    for number, rows in [(1, PER_PAGE), (3, COUNT - 2 * PER_PAGE)]:
        response = client.get(PAGE.format(large.contract_id) + f"?page={number}")
        assert response.status_code == 200
        parts = PageParts(response.get_data(as_text=True))
        shown = parts.xpath("//table[contains(@class, 'report-lines')]/tbody/tr/th/text()")
        assert len(shown) == rows
        seen += [ref.strip() for ref in shown]
        foot = " ".join(
            parts.xpath("//table[contains(@class, 'report-lines')]/tfoot")[0].itertext()
        )
        assert all(total in foot for total in totals), foot
        assert parts.xpath("//nav//a[@rel='next' or @rel='prev']")
    assert seen == REFS[:PER_PAGE] + REFS[2 * PER_PAGE :]
    # A page past the last (a stale link) is empty, with the pager back and the totals of all
    # lines, as on procurement's review and every other list.
    for past in ("99", "99999999999999999999"):
        response = client.get(PAGE.format(large.contract_id) + f"?page={past}")
        assert response.status_code == 200
        last = PageParts(response.get_data(as_text=True))
        assert last.xpath("//table[contains(@class, 'report-lines')]/tbody/tr") == []
        assert "Der er ingen linjer på denne side." in last.text
        assert last.xpath("//nav//a[@rel='prev']/@href") == [
            f"{PAGE.format(large.contract_id)}?page=3"
        ]
        foot = " ".join(last.xpath("//table[contains(@class, 'report-lines')]/tfoot")[0].itertext())
        assert all(total in foot for total in totals), foot
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.sum(ReportLine.hours_planned))) == Decimal(
            planned
        )


def test_another_providers_form_page_does_not_exist_for_them(app, large):
    client = _client(app, "anden@example.dk")
    assert client.get(FORM.format(large.contract_id)).status_code == 404
    assert client.get(PAGE.format(large.contract_id)).status_code == 404
