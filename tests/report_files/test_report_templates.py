"""The month's report template: downloaded from the report page or the API with the month's
participants filled in, opened in Excel, filled in and sent back as it is."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from contracts.models import AuditEvent, Enrolment, Participant
from provider_portal.extensions import db
from tests.pages import PageParts, text_of
from tests.report_files.reporting import (
    API,
    PAGE,
    SAMPLES,
    XLSX,
    bearer,
    page_client,
    people,
    put,
    stored,
    upload,
)

# The sample's hours, by participant, and its exits (DESIGN.md §4 sample).
ENGLISH_SAMPLE = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes().decode("utf-8-sig")
SAMPLE = {row["participant_ref"]: row for row in csv.DictReader(io.StringIO(ENGLISH_SAMPLE))}


def _enrol_around_the_month(app, contract_id: int) -> None:
    """One participant referred in the month (listed) and one who left before it (not listed)."""
    with app.app_context():
        for n, (ref, start, end) in enumerate(
            [
                ("DL-NEW01", date(2019, 1, 20), None),
                ("DL-GONE1", date(2018, 10, 1), date(2018, 12, 31)),
            ]
        ):
            participant = Participant(ref=ref, pseudonym=f"x{n:063d}")
            db.session.add(participant)
            db.session.flush()
            db.session.add(
                Enrolment(
                    participant_id=participant.id,
                    contract_id=contract_id,
                    start_on=start,
                    end_on=end,
                    end_reason="job" if end else None,
                    age_at_start=30,
                )
            )
        db.session.commit()


def test_the_csv_template_opens_in_danish_excel_and_lists_exactly_the_months_participants(app):
    team = people(app)
    _enrol_around_the_month(app, team.contract_id)
    browser = page_client(app)
    page = PageParts(browser.get(PAGE.format(team.contract_id)).get_data(as_text=True))
    link = page.xpath("//a[contains(@href, '/template.csv')]/@href")[0]
    answer = browser.get(link)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    data = answer.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Danish Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    shown = [
        text_of(th) for th in page.xpath("//table[contains(@class, 'report-form')]//thead//th")
    ]
    assert rows[0] == shown  # the column names as the page shows them
    refs = [row[0] for row in rows[1:]]
    with app.app_context():
        enrolled = db.session.scalars(
            sa.select(Participant.ref)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(
                Enrolment.contract_id == team.contract_id,
                Enrolment.start_on <= date(2019, 1, 31),
                sa.or_(Enrolment.end_on.is_(None), Enrolment.end_on >= date(2019, 1, 1)),
            )
        ).all()
    assert sorted(refs) == sorted(enrolled) and "DL-NEW01" in refs and "DL-GONE1" not in refs
    assert {row[4] for row in rows[1:]} == {"Aktiv"} and all(
        row[1:4] == ["", "", ""] for row in rows[1:]
    )
    with app.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "participants.exported")
        )


def test_an_exit_known_before_the_template_is_filled_in(app):
    team = people(app)
    client = app.test_client()
    put(client, team.provider_token, team.contract_id, ENGLISH_SAMPLE.encode(), "text/csv")
    answer = client.get(
        API.format(team.contract_id) + "/template.csv", headers=bearer(team.provider_token)
    )
    rows = {
        row[0]: row
        for row in csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig")), delimiter=";")
    }
    assert rows["DL-2HB8R"][4:] == ["Afgået", "16-01-2019", "Job"]
    assert rows["DL-3PJ6N"][4:] == ["Afgået", "10-01-2019", "Ydelse ophørt"]
    assert rows["DL-4Q7K2"][4:] == ["Aktiv", "", ""]


def _filled_in(workbook: bytes) -> bytes:
    """The downloaded workbook with the sample's hours and exits typed in, as openpyxl saves it."""
    book = load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    words = {"job": "Job", "benefit_stopped": "Ydelse ophørt", "education": "Uddannelse"}
    words["imprisonment"] = "Fængsling"
    for row in sheet.iter_rows(min_row=2):
        line = SAMPLE[row[0].value]
        row[1].value = float(line["hours_planned"])
        row[2].value = float(line["hours_delivered"])
        row[3].value = float(line["absence_hours"])
        if line["status"] == "exited":
            row[4].value = "Afgået"
            row[5].value = date.fromisoformat(line["exit_date"])
            row[6].value = words[line["exit_reason"]]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_xlsx_template_filled_in_stores_the_same_lines_as_the_csv(app):
    team = people(app)
    client = app.test_client()
    assert (
        put(
            client, team.provider_token, team.contract_id, ENGLISH_SAMPLE.encode(), "text/csv"
        ).status_code
        == 200
    )
    from_csv = stored(app, team.contract_id)
    answer = client.get(
        API.format(team.contract_id) + "/template.xlsx", headers=bearer(team.provider_token)
    )
    assert answer.status_code == 200 and answer.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(answer.get_data())).worksheets[0]
    assert [c.value for c in sheet[1]][0] == "Deltager"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"E2", "G2"} and "Afgået" in lists["E2"] and "Uddannelse" in lists["G2"]
    filled = _filled_in(answer.get_data())
    # By the API, sent as a workbook, and from the page, named .xlsx: the same lines as the CSV.
    sent = put(client, team.provider_token, team.contract_id, filled, XLSX)
    assert sent.status_code == 200, sent.get_json()
    assert sorted(stored(app, team.contract_id)) == sorted(from_csv)  # in the template's order
    browser = page_client(app)
    assert upload(browser, team.contract_id, filled, "rapport.xlsx").status_code == 302
    assert sorted(stored(app, team.contract_id)) == sorted(from_csv)  # in the template's order


def test_a_provider_cannot_download_another_providers_template(app):
    team = people(app)
    client = app.test_client()
    for kind in ("csv", "xlsx"):
        other = API.format(team.other_contract_id) + f"/template.{kind}"
        assert client.get(other, headers=bearer(team.provider_token)).status_code == 404
        assert client.get(other, headers=bearer(team.other_token)).status_code == 200
        # Procurement does not report, so the template is not for it.
        assert client.get(other, headers=bearer(team.procurement_token)).status_code == 403
    browser = page_client(app)
    assert browser.get(PAGE.format(team.other_contract_id) + "/template.csv").status_code == 404
    assert (
        browser.get(PAGE.format(team.contract_id)[:-7] + "2017-01/template.csv").status_code == 404
    )


def test_the_openapi_document_declares_the_templates(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    path = "/api/v1/contracts/{contract_id}/reports/{month}/template"
    assert "text/csv" in document["paths"][path + ".csv"]["get"]["responses"]["200"]["content"]
    assert XLSX in document["paths"][path + ".xlsx"]["get"]["responses"]["200"]["content"]
    assert (
        XLSX
        in document["paths"]["/api/v1/contracts/{contract_id}/reports/{month}"]["put"][
            "requestBody"
        ]["content"]
    )
