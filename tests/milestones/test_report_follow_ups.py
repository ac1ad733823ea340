"""Milestone claims in the monthly report's follow-up lines (DESIGN.md §4, §15;
contracts.rules.report_follow_ups): sent with April's report by API (JSON) or from the page (a
Danish CSV), made when procurement accepts the report; a bad follow-up line refuses the report
whole with its line and column, nothing stored."""

from __future__ import annotations

import html
from datetime import date
from io import BytesIO

import sqlalchemy as sa
from openpyxl import Workbook

from contracts.models import MilestoneClaim, MonthlyReport, ReportFollowUp
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.milestones.story import january_exits, line, new_story

APRIL = "2019-04"


def _april_lines(story, *follow_ups: dict) -> list[dict]:
    """The participants still enrolled in April (P1 and P3 left in January), then follow-ups."""
    active = [line(ref) for name, ref in story.refs.items() if name not in ("P1", "P3")]
    return active + list(follow_ups)


def _follow_up(story, name: str, milestone: str, started_on: str, employer: str) -> dict:
    return {
        "participant_ref": story.refs[name],
        "status": "follow_up",
        "milestone": milestone,
        "employer": employer,
        "started_on": started_on,
        "weekly_hours": "37.00",
    }


def _claims(app, contract_id: int) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(
                MilestoneClaim.code,
                MilestoneClaim.employer_cvr,
                MilestoneClaim.institution,
                MilestoneClaim.started_on,
                MilestoneClaim.weekly_hours,
                MilestoneClaim.payable_on,
            )
            .where(MilestoneClaim.contract_id == contract_id)
            .order_by(MilestoneClaim.code, MilestoneClaim.started_on)
        ).all()


def _stored(app, contract_id: int) -> tuple[int, int]:
    """April's report versions and follow-up lines stored."""
    with app.app_context():
        reports = db.session.scalar(
            sa.select(sa.func.count(MonthlyReport.id)).where(
                MonthlyReport.contract_id == contract_id, MonthlyReport.month == APRIL
            )
        )
        return reports, db.session.scalar(sa.select(sa.func.count(ReportFollowUp.id)))


def test_follow_up_lines_sent_by_api_become_claims_when_the_report_is_accepted(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "0"
    story.on(date(2019, 5, 6))
    url = f"/contracts/{story.contract_id}/reports/{APRIL}"
    lines = _april_lines(
        story,
        _follow_up(story, "P1", "week13", "2019-01-16", "10403782"),
        _follow_up(story, "P3", "week13", "2019-02-01", "Aarhus Universitet"),
    )
    status, body = story.call("PUT", url, "provider", {"lines": lines})
    assert status == 200, body
    # The report reads back its follow-up lines, its own lines as they were.
    status, stored = story.call("GET", url, "provider")
    assert len(stored["lines"]) == 5
    assert [
        (f["participant_ref"], f["milestone"], f["employer"]) for f in stored["follow_ups"]
    ] == [
        (story.refs["P1"], "week13", "10403782"),
        (story.refs["P3"], "week13", "Aarhus Universitet"),
    ]
    assert story.call("POST", url + "/submit", "provider")[0] == 200
    # Nothing is claimed before procurement accepts the report.
    assert _claims(app, story.contract_id) == []
    story.on(date(2019, 5, 7))
    assert story.call("POST", url + "/accept", "procurement")[0] == 200

    status, listed = story.call("GET", f"/claims?contract_id={story.contract_id}", "provider")
    assert status == 200
    evidence = sorted(
        (
            c["participant_ref"],
            c["milestone"],
            c["evidence"]["employer_cvr"],
            c["evidence"]["institution"],
            c["evidence"]["started_on"],
            c["payable_on"],
        )
        for c in listed["items"]
    )
    assert evidence == sorted(
        [
            (story.refs["P1"], "week13", "10403782", None, "2019-01-16", "2019-05-07"),
            (story.refs["P3"], "week13", None, "Aarhus Universitet", "2019-02-01", "2019-05-07"),
        ]
    )


def test_a_danish_csv_from_the_page_carries_follow_up_lines_made_claims_on_acceptance(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "0"
    story.on(date(2019, 5, 2))
    rows = ["Deltager;Timer planlagt;Timer leveret;Status;Milepæl;Arbejdsgiver;Startdato;Ugetimer"]
    rows += [
        f"{ref};10,00;10,00;aktiv;;;;"
        for name, ref in story.refs.items()
        if name not in ("P1", "P3")
    ]
    rows.append(f"{story.refs['P1']};;;opfølgning;13 uger;DK 10 40 37 82;16-01-2019;37,5")
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    provider = app.test_client()
    assert login(provider, "provider@example.dk").status_code == 302
    page = f"/provider/contracts/{story.contract_id}/reports/{APRIL}"
    token = csrf_token(provider.get(page).get_data(as_text=True))
    sent = provider.post(
        page + "/upload",
        data={"csrf_token": token, "file": (BytesIO(data), "april.csv")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, html.unescape(sent.get_data(as_text=True))
    stored = provider.get(page).get_data(as_text=True)
    # The provider reads back the claims its report carries, before and after submitting it.
    own = " ".join(html.unescape(stored).split())
    assert "Når indkøb godkender rapporten, oprettes disse krav" in own
    assert f'{story.refs["P1"]}</th> <td>13 uger</td> <td class="num">17-04-2019</td>' in own
    token = csrf_token(stored)
    assert provider.post(page + "/submit", data={"csrf_token": token}).status_code == 302
    assert "Milepæle krævet i opfølgningslinjer" in html.unescape(
        provider.get(page).get_data(as_text=True)
    )

    procurement = app.test_client()
    assert login(procurement, "procurement@example.dk").status_code == 302
    review = f"/procurement/contracts/{story.contract_id}/reports/{APRIL}"
    shown = procurement.get(review).get_data(as_text=True)
    # Procurement sees what accepting will claim.
    follow_ups = " ".join(html.unescape(shown).split())
    assert "Milepæle krævet i opfølgningslinjer" in follow_ups
    assert f'{story.refs["P1"]}</th> <td>13 uger</td> <td class="num">17-04-2019</td>' in follow_ups
    assert "CVR 10403782" in follow_ups
    token = csrf_token(shown)
    assert procurement.post(review + "/accept", data={"csrf_token": token}).status_code == 302
    assert _claims(app, story.contract_id) == [
        ("week13", "10403782", None, date(2019, 1, 16), 37.5, date(2019, 5, 2))
    ]


def test_a_bad_follow_up_line_refuses_the_report_whole_with_line_and_column(app):
    story = new_story(app)
    january_exits(story)
    story.on(date(2019, 5, 2))
    url = f"/contracts/{story.contract_id}/reports/{APRIL}"
    early = _follow_up(story, "P1", "week26", "2019-01-16", "10403782")
    twice = _follow_up(story, "P3", "week13", "2019-01-20", "Aarhus Universitet")
    still_here = _follow_up(story, "P2", "week13", "2019-01-02", "10403782")
    unknown = {**twice, "participant_ref": "DL-ZZZZZ"}
    with_hours = {
        **_follow_up(story, "P3", "week26", "2019-01-20", "Aarhus Universitet"),
        "hours_delivered": "4.00",
    }
    bad_cvr = _follow_up(story, "P1", "week13", "2019-01-16", "12345678")
    stray = {**line(story.refs["P2"]), "milestone": "week13"}
    lines = [stray, *_april_lines(story)[1:], early, twice, twice, still_here, unknown, with_hours]
    lines.append(bad_cvr)
    status, body = story.call("PUT", url, "provider", {"lines": lines})
    assert status == 422, body
    found = {(e.get("line"), e["field"]) for e in body["errors"]}
    first = len(lines) - 7 + 1  # `early`'s line: JSON lines count from 1
    assert found == {
        (1, "milestone"),  # a participant's own line has no milestone
        (first, "milestone"),  # week26 is reached on 2019-07-17
        (first + 2, "milestone"),  # the same claim twice
        (first + 3, "participant_ref"),  # P2 never left
        (first + 4, "participant_ref"),  # no such participant
        (first + 5, "hours_delivered"),  # a follow-up line has no hours
        (first + 6, "employer"),  # 12345678 is not a valid CVR number
    }, body["errors"]
    assert _stored(app, story.contract_id) == (0, 0)

    # On the page the same file is refused in Danish, nothing stored.
    provider = app.test_client()
    assert login(provider, "provider@example.dk").status_code == 302
    page = f"/provider/contracts/{story.contract_id}/reports/{APRIL}"
    token = csrf_token(provider.get(page).get_data(as_text=True))
    header = "deltager;timer_planlagt;timer_leveret;status;milepæl;arbejdsgiver;startdato;ugetimer"
    kept = [f"{line['participant_ref']};1;1;aktiv;;;;" for line in _april_lines(story)]
    data = "\r\n".join(
        [header, *kept, f"{story.refs['P1']};;;opfølgning;26 uger;10403782;16-01-2019;37"]
    ).encode()
    refused = provider.post(
        page + "/upload",
        data={"csrf_token": token, "file": (BytesIO(data), "april.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    text = " ".join(html.unescape(refused.get_data(as_text=True)).split())
    assert "milepælen week26 nås den 17-07-2019" in text
    assert _stored(app, story.contract_id) == (0, 0)


def test_a_relapse_recorded_before_acceptance_refuses_it_and_claims_nothing(app):
    story = new_story(app)
    january_exits(story)
    story.on(date(2019, 5, 2))
    url = f"/contracts/{story.contract_id}/reports/{APRIL}"
    lines = _april_lines(story, _follow_up(story, "P1", "week13", "2019-01-16", "10403782"))
    assert story.call("PUT", url, "provider", {"lines": lines})[0] == 200
    assert story.call("POST", url + "/submit", "provider")[0] == 200
    assert story.relapse("P1", "2019-04-01", who="procurement")[0] == 201
    status, body = story.call("POST", url + "/accept", "procurement")
    assert status == 409, body
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(len(lines), "milestone")]
    assert story.call("GET", url, "procurement")[1]["status"] == "submitted"
    assert _claims(app, story.contract_id) == []


def test_an_xlsx_report_carries_follow_up_lines_with_excel_s_numbers_and_dates(app):
    story = new_story(app)
    january_exits(story)
    story.on(date(2019, 5, 2))
    book = Workbook()
    sheet = book.active
    sheet.append(["Deltager", "Timer planlagt", "Timer leveret", "Status", "Milepæl",
                  "Arbejdsgiver", "Startdato", "Ugetimer"])  # fmt: skip
    for name, ref in story.refs.items():
        if name not in ("P1", "P3"):
            sheet.append([ref, 10, 10, "Aktiv", None, None, None, None])
    # Excel keeps the CVR number as a number, the day as a date, the hours as a float.
    sheet.append([story.refs["P1"], None, None, "Opfølgning", "13 uger", 10403782,
                  date(2019, 1, 16), 37.5])  # fmt: skip
    data = BytesIO()
    book.save(data)
    url = f"/api/v1/contracts/{story.contract_id}/reports/{APRIL}"
    sent = app.test_client().put(
        url,
        data=data.getvalue(),
        headers={"Authorization": f"Bearer {story.tokens['provider']}"},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["follow_ups"] == [
        {
            "participant_ref": story.refs["P1"],
            "milestone": "week13",
            "employer": "10403782",
            "started_on": "2019-01-16",
            "weekly_hours": "37.50",
        }
    ]
