"""The report pages: a provider sends a month by form or file, procurement accepts or rejects."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Enrolment, MonthlyReport, ReportLine
from contracts.services.accounts import create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token, login
from tests.pages import PageParts
from tests.scenarios import SAMPLE_REFS, other_provider_scenario, sample_scenario
from tests.web.report_page_client import (
    PAGE,
    SAMPLES,
    filled_with_one_bad_line,
    form_fields,
    upload,
)

REVIEW = "/procurement/contracts/{}/reports/2019-01"


@pytest.fixture
def scenario(app):
    """The sample contract, its coordinator, another provider's coordinator and procurement."""
    with app.app_context():
        found = sample_scenario(db.session)
        other = other_provider_scenario(db.session)
        for email, role, provider_id in [
            ("koordinator@example.dk", "provider", found.provider_id),
            ("anden@example.dk", "provider", other.provider_id),
            ("indkob@example.dk", "procurement", None),
        ]:
            create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
        db.session.commit()
    found.other_contract_id = other.contract_id
    return found


def _client(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _lines(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(ReportLine.position, ReportLine.hours_delivered).order_by(ReportLine.position)
        ).all()


def test_month_page_lists_every_enrolled_participant_in_an_empty_form(app, scenario):
    client = _client(app, "koordinator@example.dk")
    response = client.get(PAGE.format(scenario.contract_id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = PageParts(html).text
    assert "Indberetning for januar 2019" in text
    # January still runs on the portal's 24 January: nothing is missing yet.
    assert "Måneden er i gang" in text and "Mangler" not in text and "10-02-2019" in text
    fields = form_fields(html)
    assert sorted(v for k, v in fields.items() if k.endswith("participant_ref")) == sorted(
        SAMPLE_REFS
    )
    assert all(v == "" for k, v in fields.items() if k.endswith("hours_planned"))


@pytest.mark.usefixtures("january_ended")
def test_good_upload_is_stored_then_prefills_the_form_and_can_be_submitted(app, scenario):
    client = _client(app, "koordinator@example.dk")
    response = upload(client, scenario.contract_id, "report-2019-01-excel-da.csv")
    assert response.status_code == 302
    page = client.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    assert "Kladde" in PageParts(page).text
    fields = form_fields(page)
    first = next(k[: -len("participant_ref")] for k, v in fields.items() if v == "DL-4Q7K2")
    assert fields[first + "hours_delivered"] == "131,50"  # as a Dane types it
    assert len(_lines(app)) == 7
    submitted = client.post(
        PAGE.format(scenario.contract_id) + "/submit", data={"csrf_token": csrf_token(page)}
    )
    assert submitted.status_code == 302
    with app.app_context():
        report = db.session.scalar(sa.select(MonthlyReport))
        assert report.status == "submitted"
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"report.saved", "report.submitted"} <= actions
    # A submitted report is not changed from the page.
    again = upload(client, scenario.contract_id, "report-2019-01-excel-da.csv")
    assert again.status_code == 409
    assert "venter på behandling" in PageParts(again.get_data(as_text=True)).text


def test_bad_upload_shows_every_problem_by_line_in_danish_and_keeps_the_draft(app, scenario):
    client = _client(app, "koordinator@example.dk")
    upload(client, scenario.contract_id, "report-2019-01-excel-da.csv")
    before = _lines(app)
    response = upload(client, scenario.contract_id, "bad-report-2019-01.csv")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    lines = {int(n) for n in PageParts(html).xpath("//@data-line")}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10}
    text = PageParts(html).text
    assert "Indberetningen blev ikke gemt" in text
    assert "DL-6WQ1Z" in text
    assert "vacation" in text
    assert _lines(app) == before


def test_the_hours_ceiling_in_a_problem_is_written_in_danish(app, scenario):
    client = _client(app, "koordinator@example.dk")
    response = upload(client, scenario.contract_id, "bad-report-2019-01.csv")
    text = PageParts(response.get_data(as_text=True)).text
    assert "400 timer er over loftet på 163,86 t" in text


def test_an_unknown_exit_reason_is_answered_with_the_reasons_a_provider_may_write(app, scenario):
    """On a Danish page the reasons are the words the page shows (uddannelse, ydelse ophørt),
    not the API's codes; in English the codes."""
    client = _client(app, "koordinator@example.dk")
    response = upload(client, scenario.contract_id, "bad-report-2019-01.csv")
    text = PageParts(response.get_data(as_text=True)).text
    assert "'vacation' er ikke en afgangsårsag (job, uddannelse, ydelse ophørt," in text
    assert "benefit_stopped" not in text
    page = client.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    client.post("/language", data={"language": "en", "csrf_token": csrf_token(page)})
    response = upload(client, scenario.contract_id, "bad-report-2019-01.csv")
    text = PageParts(response.get_data(as_text=True)).text
    assert "'vacation' is not an exit reason (job, education, benefit stopped," in text


def test_form_saves_through_the_same_rules_and_shows_problems_next_to_the_line(app, scenario):
    client = _client(app, "koordinator@example.dk")
    page = client.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    fields = form_fields(page)
    row = filled_with_one_bad_line(fields, "DL-9XW3M")
    response = client.post(PAGE.format(scenario.contract_id) + "/form", data=fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    position = SAMPLE_REFS.index("DL-9XW3M")
    ordered = sorted(SAMPLE_REFS)
    line = ordered.index("DL-9XW3M") + 1
    assert position >= 0
    row_html = html[html.index(f'id="line-{line}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "loftet" in row_html and 'aria-invalid="true"' in row_html
    assert 'value="400"' in row_html  # what was typed is kept
    assert _lines(app) == []
    fields[row + "hours_delivered"] = "148"
    assert client.post(PAGE.format(scenario.contract_id) + "/form", data=fields).status_code == 302
    assert len(_lines(app)) == 7


@pytest.mark.usefixtures("january_ended")
def test_procurement_accepts_and_exits_end_enrolments(app, scenario):
    provider = _client(app, "koordinator@example.dk")
    upload(provider, scenario.contract_id, "report-2019-01-excel-da.csv")
    page = provider.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    provider.post(
        PAGE.format(scenario.contract_id) + "/submit", data={"csrf_token": csrf_token(page)}
    )

    staff = _client(app, "indkob@example.dk")
    home = staff.get("/procurement/").get_data(as_text=True)
    assert REVIEW.format(scenario.contract_id) in home
    review = staff.get(REVIEW.format(scenario.contract_id))
    assert review.status_code == 200
    text = PageParts(review.get_data(as_text=True)).text
    assert "Nyt Fodfæste A/S" in text and "DL-2HB8R" in text
    accepted = staff.post(
        REVIEW.format(scenario.contract_id) + "/accept",
        data={"csrf_token": csrf_token(review.get_data(as_text=True))},
    )
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(MonthlyReport.status)) == "accepted"
        ended = db.session.scalar(
            sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.end_on.is_not(None))
        )
    assert ended == 4
    # The provider now sees a read-only report.
    locked = provider.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    assert "2019-01/upload" not in locked and "2019-01/form" not in locked
    assert "låst" in PageParts(locked).text


@pytest.mark.usefixtures("january_ended")
def test_reject_needs_a_reason_and_sends_the_report_back(app, scenario):
    provider = _client(app, "koordinator@example.dk")
    upload(provider, scenario.contract_id, "report-2019-01-excel-da.csv")
    page = provider.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    provider.post(
        PAGE.format(scenario.contract_id) + "/submit", data={"csrf_token": csrf_token(page)}
    )
    staff = _client(app, "indkob@example.dk")
    token = csrf_token(staff.get(REVIEW.format(scenario.contract_id)).get_data(as_text=True))
    empty = staff.post(
        REVIEW.format(scenario.contract_id) + "/reject", data={"csrf_token": token, "reason": " "}
    )
    assert empty.status_code == 422
    rejected = staff.post(
        REVIEW.format(scenario.contract_id) + "/reject",
        data={"csrf_token": token, "reason": "Timerne for DL-9XW3M mangler."},
    )
    assert rejected.status_code == 302
    text = PageParts(provider.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)).text
    assert "Timerne for DL-9XW3M mangler." in text
    # Rejected is editable again: the form is back.
    assert "Gem som kladde" in text


def test_another_providers_contract_is_404_and_posts_without_csrf_are_refused(app, scenario):
    client = _client(app, "koordinator@example.dk")
    assert client.get(PAGE.format(scenario.other_contract_id)).status_code == 404
    assert (
        client.get(PAGE.format(scenario.contract_id).replace("2019-01", "2019-13")).status_code
        == 404
    )
    assert (
        client.get(PAGE.format(scenario.contract_id).replace("2019-01", "2019-02")).status_code
        == 404
    )
    no_token = client.post(
        PAGE.format(scenario.contract_id) + "/upload",
        data={"file": (io.BytesIO(b"x"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400
    assert _lines(app) == []


def test_upload_refusals_are_clear_pages(app, scenario):
    client = _client(app, "koordinator@example.dk")
    xlsx = upload(client, scenario.contract_id, data=b"PK\x03\x04rest", filename="r.xlsx")
    assert xlsx.status_code == 422 and "Excel" in PageParts(xlsx.get_data(as_text=True)).text
    nothing = upload(client, scenario.contract_id, data=b"", filename="")
    assert (
        nothing.status_code == 422
        and "Vælg én fil" in PageParts(nothing.get_data(as_text=True)).text
    )
    page = client.get(PAGE.format(scenario.contract_id)).get_data(as_text=True)
    two = client.post(
        PAGE.format(scenario.contract_id) + "/upload",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_token(page),
            "file": [(io.BytesIO(b"a"), "a.csv"), (io.BytesIO(b"b"), "b.csv")],
        },
    )
    assert (
        two.status_code == 422 and "én fil ad gangen" in PageParts(two.get_data(as_text=True)).text
    )
    big = upload(client, scenario.contract_id, data=b"x" * (11 * 1024 * 1024))
    assert big.status_code == 413
    assert "10 MB" in PageParts(big.get_data(as_text=True)).text
    assert _lines(app) == []


def test_uploads_are_never_written_to_disk(app, scenario, monkeypatch):
    import tempfile

    import werkzeug.formparser

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)
    monkeypatch.setattr(werkzeug.formparser, "TemporaryFile", refuse, raising=False)
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", refuse)
    client = _client(app, "koordinator@example.dk")
    good = (SAMPLES / "report-2019-01-excel-da.csv").read_bytes()
    # Padding past Werkzeug's 500 KB in-memory limit, as blank lines the reader skips.
    response = upload(client, scenario.contract_id, data=good + b"\r\n" * 400_000)
    assert response.status_code == 302
    assert len(_lines(app)) == 7
