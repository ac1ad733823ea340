"""Notices during the month through the pages, in Danish: the provider's "Meld hændelse" page,
procurement's "Hændelser til behandling" queue and the caseworkers' absence list with its CSV
export (safe against formula injection)."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from contracts.models import AuditEvent, Notice
from provider_portal.extensions import db
from tests.conftest import csrf_token
from tests.notices.calls import enrolment_end, exit_notice, notice_count, send_notice
from tests.notices.conftest import SAMPLE_REFS
from tests.pages import PageParts, text_of


def notices_url(world, contract_id: int | None = None) -> str:
    return f"/provider/contracts/{contract_id or world.contract_id}/notices"


def post_notice(world, client, **fields):
    page = client.get(notices_url(world)).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "kind": "exit", "note": "", "hours": "", **fields}
    return client.post(notices_url(world), data=data)


def field_error(parts: PageParts, name: str) -> str:
    errors = parts.xpath(f"//*[@id = '{name}-error']")
    return text_of(errors[0]) if errors else ""


def test_the_provider_page_offers_the_participants_enrolled_on_the_day(world):
    client = world.client("provider")
    home = PageParts(client.get("/provider/").get_data(as_text=True))
    assert notices_url(world) in {a.get("href") for a in home.find_all("a")}
    parts = PageParts(client.get(notices_url(world)).get_data(as_text=True))
    assert text_of(parts.xpath("//h1")[0]) == "Meld hændelse"
    options = parts.xpath("//select[@name = 'participant_ref']/option/@value")
    assert options == ["", *sorted(SAMPLE_REFS)]
    assert parts.xpath("//input[@name = 'date']/@value") == ["2019-01-24"]
    reasons = [text_of(o) for o in parts.xpath("//select[@name = 'reason']/option")]
    assert "Ydelse ophørt" in reasons and "Uddannelse" in reasons
    labels = parts.xpath("//label/@for")
    for name in ("participant_ref", "date", "reason", "hours", "note"):
        assert name in labels, name
    # Before anyone was enrolled (1 October 2018) there is no one to choose.
    before = PageParts(client.get(notices_url(world) + "?on=2018-09-30").get_data(as_text=True))
    assert before.xpath("//select[@name = 'participant_ref']/option/@value") == [""]
    assert "Vælg en deltager" in before.text


def test_a_provider_reports_an_exit_and_reads_how_it_stands(world):
    client = world.client("provider")
    response = post_notice(
        world,
        client,
        participant_ref="DL-2HB8R",
        date="2019-01-15",
        reason="job",
        note="Startet som lager­medarbejder",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    parts = PageParts(page)
    assert "Afgangsmeldingen er modtaget. Indkøb bekræfter eller afviser den." in parts.text
    rows = [text_of(row) for row in parts.xpath("//table//tbody/tr")]
    assert len(rows) == 1
    assert "15-01-2019" in rows[0] and "DL-2HB8R" in rows[0] and "Afgangsmelding" in rows[0]
    assert "Job" in rows[0] and "Modtaget" in rows[0]
    assert enrolment_end(world.app, "DL-2HB8R") == (None, None)


def test_an_absence_is_reported_with_a_decimal_comma(world):
    client = world.client("provider")
    response = post_notice(
        world, client, participant_ref="DL-9XW3M", kind="absence", date="23-01-2019", hours="3,5"
    )
    assert response.status_code == 302
    with world.app.app_context():
        notice = db.session.scalar(sa.select(Notice))
        assert (notice.kind, notice.on, str(notice.hours_missed)) == (
            "absence",
            date(2019, 1, 23),
            "3.50",
        )
    parts = PageParts(client.get(notices_url(world)).get_data(as_text=True))
    assert "3,50 timer mistet" in parts.text and "Udeblivelsesmelding" in parts.text


def test_what_cannot_be_recorded_is_said_in_danish_beside_its_field(world):
    client = world.client("provider")
    response = post_notice(world, client, participant_ref="", date="2019-01-30", reason="")
    assert response.status_code == 422
    parts = PageParts(response.get_data(as_text=True))
    assert "Intet er meldt endnu" in parts.text
    assert field_error(parts, "participant_ref") == "vælg deltageren"
    assert "30-01-2019 er ikke kommet endnu" in field_error(parts, "date")
    assert field_error(parts, "reason") == "en afgangsmelding skal have afgangsårsagen"
    absence = post_notice(
        world, client, participant_ref="DL-9XW3M", kind="absence", date="2019-01-22", hours="tre"
    )
    assert absence.status_code == 422
    assert "Skriv timerne som et tal" in field_error(
        PageParts(absence.get_data(as_text=True)), "hours"
    )
    too_many = post_notice(
        world, client, participant_ref="DL-9XW3M", kind="absence", date="2019-01-22", hours="13"
    )
    assert "højst 12 timer" in field_error(PageParts(too_many.get_data(as_text=True)), "hours")
    assert notice_count(world.app) == 0


def test_a_second_exit_notice_is_refused_on_the_page(world):
    client = world.client("provider")
    assert (
        post_notice(
            world, client, participant_ref="DL-2HB8R", date="2019-01-15", reason="job"
        ).status_code
        == 302
    )
    again = post_notice(world, client, participant_ref="DL-2HB8R", date="2019-01-16", reason="job")
    assert again.status_code == 409
    text = PageParts(again.get_data(as_text=True)).text
    assert "Hændelsen blev ikke meldt" in text and "venter på afgørelse" in text
    assert notice_count(world.app) == 1


def test_procurement_confirms_from_the_queue_and_the_course_ends(world):
    first = exit_notice(world, "DL-2HB8R", "2019-01-15", "job")
    second = exit_notice(world, "DL-3PJ6N", "2019-01-10", "benefit_stopped")
    client = world.client("procurement")
    home = PageParts(client.get("/procurement/").get_data(as_text=True))
    assert "2 afgangsmeldinger venter på afgørelse." in home.text
    assert "/procurement/notices" in {a.get("href") for a in home.find_all("a")}
    menu = {text_of(a): a.get("href") for a in home.xpath("//nav[@class = 'site-nav']//a")}
    assert menu["Hændelser"] == "/procurement/notices"
    page = client.get("/procurement/notices").get_data(as_text=True)
    parts = PageParts(page)
    assert text_of(parts.xpath("//h1")[0]) == "Hændelser til behandling"
    rows = parts.xpath("//table//tbody/tr")
    # The oldest received first.
    assert [row.get("id") for row in rows] == [f"notice-{first['id']}", f"notice-{second['id']}"]
    assert "Ydelse ophørt" in text_of(rows[1]) and "10-01-2019" in text_of(rows[1])
    response = client.post(
        f"/procurement/notices/{first['id']}/confirm", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    after = PageParts(client.get("/procurement/notices").get_data(as_text=True))
    assert "Afgangen for DL-2HB8R er bekræftet: forløbet sluttede den 15-01-2019." in after.text
    assert len(after.xpath("//table//tbody/tr")) == 1
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 15), "job")
    # The provider reads the decision.
    mine = PageParts(world.client("provider").get(notices_url(world)).get_data(as_text=True))
    assert "Bekræftet" in mine.text


def test_a_rejection_needs_a_reason_and_changes_nothing(world):
    notice = exit_notice(world, "DL-2HB8R", "2019-01-15", "job")
    client = world.client("procurement")
    token = csrf_token(client.get("/procurement/notices").get_data(as_text=True))
    url = f"/procurement/notices/{notice['id']}/reject"
    empty = client.post(url, data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 422
    parts = PageParts(empty.get_data(as_text=True))
    assert "Skriv, hvorfor hændelsen afvises" in field_error(parts, f"reason-{notice['id']}")
    response = client.post(url, data={"csrf_token": token, "reason": "Borgeren mødte igen."})
    assert response.status_code == 302
    assert enrolment_end(world.app, "DL-2HB8R") == (None, None)
    confirm = client.post(
        f"/procurement/notices/{notice['id']}/confirm", data={"csrf_token": token}
    )
    assert confirm.status_code == 409
    text = PageParts(confirm.get_data(as_text=True)).text
    assert "Hændelsen blev ikke bekræftet: hændelsen er allerede afvist" in text
    mine = PageParts(world.client("provider").get(notices_url(world)).get_data(as_text=True))
    assert "Afvist" in mine.text and "Borgeren mødte igen." in mine.text


def test_pages_keep_each_to_their_own(world):
    notice = exit_notice(world, "DL-2HB8R", "2019-01-15", "job")
    provider = world.client("provider")
    token = csrf_token(provider.get(notices_url(world)).get_data(as_text=True))
    assert provider.get("/procurement/notices").status_code == 403
    assert provider.get("/procurement/absences").status_code == 403
    assert provider.get("/procurement/absences.csv").status_code == 403
    assert (
        provider.post(
            f"/procurement/notices/{notice['id']}/confirm", data={"csrf_token": token}
        ).status_code
        == 403
    )
    # Provider B does not learn of A's contract, nor of its notices.
    other = world.client("other")
    assert other.get(notices_url(world)).status_code == 404
    theirs = PageParts(other.get(notices_url(world, world.b_contract_id)).get_data(as_text=True))
    assert "DL-2HB8R" not in theirs.text and "SÆR-2018-03" not in theirs.text
    assert enrolment_end(world.app, "DL-2HB8R") == (None, None)


def absences(world):
    for ref, day, hours, note in (
        ("DL-4Q7K2", "2019-01-07", "2", "Syg uden besked"),
        ("DL-9XW3M", "2019-01-08", "3.5", '=HYPERLINK("http://evil.example","klik")'),
        ("DL-9XW3M", "2018-12-20", "7.4", None),
    ):
        response = send_notice(
            world, participant_ref=ref, kind="absence", date=day, hours=hours, note=note
        )
        assert response.status_code == 201, response.get_json()
    response = send_notice(
        world,
        "other",
        world.b_contract_id,
        participant_ref="DL-B1111",
        kind="absence",
        date="2019-01-09",
        hours="1",
    )
    assert response.status_code == 201


def test_caseworkers_list_absences_by_contract_and_month(world):
    absences(world)
    client = world.client("procurement")
    page = PageParts(client.get("/procurement/absences").get_data(as_text=True))
    assert text_of(page.xpath("//h1")[0]) == "Udeblivelsesmeldinger"
    assert len(page.xpath("//table//tbody/tr")) == 4
    january = client.get(f"/procurement/absences?contract_id={world.contract_id}&month=2019-01")
    rows = [text_of(r) for r in PageParts(january.get_data(as_text=True)).xpath("//tbody/tr")]
    assert len(rows) == 2 and "3,50" in rows[0] + rows[1]
    bad = client.get("/procurement/absences?month=januar")
    assert bad.status_code == 400
    assert "“januar” is not a month" not in bad.get_data(as_text=True)
    assert "er ikke en måned" in PageParts(bad.get_data(as_text=True)).text


def test_the_absence_export_opens_in_danish_excel_and_runs_no_formula(world):
    absences(world)
    client = world.client("procurement")
    response = client.get(
        f"/procurement/absences.csv?contract_id={world.contract_id}&month=2019-01"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Dato",
        "Aftale",
        "Leverandør",
        "Deltager",
        "Timer",
        "Bemærkning",
        "Modtaget",
    ]
    assert [row[:5] for row in rows[1:]] == [
        ["07-01-2019", "SÆR-2018-03", "Nyt Fodfæste A/S", "DL-4Q7K2", "2,00"],
        ["08-01-2019", "SÆR-2018-03", "Nyt Fodfæste A/S", "DL-9XW3M", "3,50"],
    ]
    assert rows[1][5] == "Syg uden besked"
    assert rows[2][5] == '\'=HYPERLINK("http://evil.example","klik")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    with world.app.app_context():
        exported = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "notices.exported")
        )
        assert exported.details["rows"] == 2 and exported.details["month"] == "2019-01"
