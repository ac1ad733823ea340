"""The reviewer's aids on procurement's report page: differences of a correction, the invoice
preview, the flags and last month's figures (issue 12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from contracts.documents.formatting import money
from contracts.models import AuditEvent, Contract, Enrolment, Invoice, Participant
from contracts.rules.report_format import read_csv
from contracts.rules.review_flags import line_flags, near_ceiling
from contracts.services import invoicing, notices, reports, scoring
from contracts.services.audit import Actor
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import enrol_newcomer, logged_in_client, make_report
from tests.pages import PageParts, text_of
from tests.scenarios import SAMPLE_REFS, sample_scenario

REVIEW = "/procurement/contracts/{}/reports/2019-01"
ACTOR = Actor("test")
HEADER = (
    "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason\n"
)
GONE = ["DL-GONE1", "DL-GONE2"]  # on December's report; gone before January

DECEMBER = HEADER + "".join(
    f"{ref},140,{130 + n},{n},active,,\n" for n, ref in enumerate(SAMPLE_REFS + GONE)
)
# January, line by line: what each deserves is in the comment.
JANUARY = (
    HEADER
    + "DL-4Q7K2,148,131.5,16.5,active,,\n"  # absence as notified (8 + 8.5): nothing
    + "DL-9XW3M,148,148,0,active,,\n"  # nothing
    + "DL-2HB8R,74,60,0,exited,2019-01-16,job\n"  # nothing (74 h of 84.57 h)
    + "DL-7TZ5C,100,110,0,active,,\n"  # delivered above planned
    + "DL-3PJ6N,52.75,21,0,exited,2019-01-10,benefit_stopped\n"  # near the 52.86 h ceiling
    + "DL-8KD4V,160,158,0,active,,\n"  # near the 163.86 h ceiling
    + "DL-5MR2F,15,0,10,active,,\n"  # 10 h absence reported, 4 h notified
)


@pytest.fixture
def story(app):
    """The sample contract with December accepted (two participants since gone: one moved to
    the successor contract, one ended by procurement) and January submitted, with absence
    notices; procurement's and the provider's clients."""
    with app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        for n, ref in enumerate(GONE):
            participant = Participant(ref=ref, pseudonym=f"gone{n:060d}")
            db.session.add(participant)
            db.session.flush()
            db.session.add(
                Enrolment(
                    participant_id=participant.id,
                    contract_id=contract.id,
                    start_on=date(2018, 10, 1),
                    age_at_start=40,
                )
            )
        db.session.flush()
        make_report(
            db.session, contract, DECEMBER.encode(), month="2018-12", today=date(2019, 1, 5)
        )
        ended = {
            "DL-GONE1": (date(2018, 12, 31), "transferred"),
            "DL-GONE2": (date(2018, 12, 20), "other"),
        }
        for enrolment in db.session.scalars(
            sa.select(Enrolment).join(Participant).where(Participant.ref.in_(GONE))
        ):
            enrolment.end_on, enrolment.end_reason = ended[enrolment.participant.ref]
        provider = Viewer(None, "provider", scenario.provider_id)
        for ref, day, hours in [
            ("DL-4Q7K2", 8, "8"),
            ("DL-4Q7K2", 9, "8.5"),
            ("DL-5MR2F", 14, "4"),
        ]:
            notices.record(
                db.session,
                ACTOR,
                provider,
                contract.id,
                participant_ref=ref,
                kind="absence",
                on=date(2019, 1, day),
                today=date(2019, 1, 20),
                hours=Decimal(hours),
            )
        make_report(db.session, contract, JANUARY.encode(), status="submitted")
        db.session.commit()
    scenario.procurement = logged_in_client(app, "indkob@example.dk", "procurement")
    scenario.provider = logged_in_client(
        app, "koordinator@example.dk", "provider", scenario.provider_id
    )
    return scenario


def _page(client, contract_id) -> PageParts:
    response = client.get(REVIEW.format(contract_id))
    assert response.status_code == 200
    return PageParts(response.get_data(as_text=True))


def _flags(page: PageParts) -> dict[str, set[str]]:
    return {
        row.get("data-ref"): {li.get("data-flag") for li in row.xpath(".//li[@data-flag]")}
        for row in page.xpath("//table[contains(@class, 'review-flags')]//tr[@data-ref]")
    }


def test_each_flag_is_on_the_line_that_deserves_it_and_on_no_other(app, story):
    page = _page(story.procurement, story.contract_id)
    assert _flags(page) == {
        "DL-7TZ5C": {"delivered_above_planned"},
        "DL-3PJ6N": {"near_ceiling"},
        "DL-8KD4V": {"near_ceiling"},
        "DL-5MR2F": {"absence_unlike_notices"},
    }
    counts = {li.get("data-count"): li.get("data-lines") for li in page.xpath("//li[@data-count]")}
    assert counts == {
        "delivered_above_planned": "1",
        "near_ceiling": "2",
        "absence_unlike_notices": "1",
    }
    assert "På 95 % af timeloftet" in page.text and "%%" not in page.text
    row = page.xpath("//tr[@data-ref='DL-5MR2F']")[0]
    assert "10,00" in text_of(row) and "4,00" in text_of(row)
    # Last month's two who are gone: the transfer told as such, the other to look into.
    gone = {
        row.get("data-ref"): (row.get("data-flag"), text_of(row))
        for row in page.xpath("//table[contains(@class, 'review-gone')]//tr[@data-ref]")
    }
    assert set(gone) == set(GONE)
    assert gone["DL-GONE1"][0] == "transferred"
    assert gone["DL-GONE2"][0] == "disappeared" and "20-12-2018" in gone["DL-GONE2"][1]


def test_near_the_ceiling_is_compared_exactly_from_95_percent():
    # A week (7 days) of 37 h: 95 % is 35.15 h exactly.
    assert near_ceiling(Decimal("35.15"), 7, Decimal("37"))
    assert not near_ceiling(Decimal("35.14"), 7, Decimal("37"))
    assert not near_ceiling(Decimal("0"), 0, Decimal("37"))


def _figures(page: PageParts) -> dict[str, str]:
    return {
        dd.get("data-figure"): text_of(dd)
        for dd in page.xpath("//dl[contains(@class, 'last-month')]/dd")
    }


def test_last_month_comes_from_its_report_until_it_is_aggregated_then_from_the_scores(app, story):
    page = _page(story.procurement, story.contract_id)
    assert page.xpath("//section[@id='last-month']//p/@data-source") == ["report"]
    # December: nine participants all active, 140 h planned each, 130 + n delivered, n absent.
    expected = {
        "participants": "9",
        "active_end": "9",
        "positive": "0",
        "benefit_stopped": "0",
        "other": "0",
        "hours_planned": "1.260,00",
        "hours_delivered": "1.206,00",
        "absence_rate": "2,9 %",  # 36 of 1,260 hours
    }
    assert _figures(page) == expected
    with app.app_context():
        scoring.compute_month(db.session, "2018-12")
        db.session.commit()
    page = _page(story.procurement, story.contract_id)
    assert page.xpath("//section[@id='last-month']//p/@data-source") == ["scores"]
    assert _figures(page) == expected


def _amounts(page: PageParts) -> dict[str, str]:
    return {
        cell.get("data-amount"): text_of(cell)
        for cell in page.xpath("//section[@id='invoice-preview']//*[@data-amount]")
    }


def _accept(client, contract_id):
    page = client.get(REVIEW.format(contract_id)).get_data(as_text=True)
    response = client.post(
        REVIEW.format(contract_id) + "/accept", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302


def _invoice(app, contract_id) -> SimpleNamespace:
    """Aggregate the contract's January as the month's job does; the invoice's figures."""
    with app.app_context():
        invoice = invoicing.invoice_contract_month(db.session, contract_id, "2019-01")
        db.session.commit()
        return SimpleNamespace(
            id=invoice.id,
            version=invoice.version,
            net=invoice.net,
            vat=invoice.vat,
            total=invoice.total,
        )


def test_the_preview_is_the_invoice_the_aggregation_writes_to_the_ore(app, story):
    shown = _amounts(_page(story.procurement, story.contract_id))
    _accept(story.procurement, story.contract_id)
    invoice = _invoice(app, story.contract_id)
    assert shown == {
        "net": money(invoice.net, "da"),
        "vat": money(invoice.vat, "da"),
        "total": money(invoice.total, "da"),
    }
    assert invoice.net > Decimal("15000")  # DL-2HB8R's job bonus is in it


@pytest.mark.usefixtures("january_ended")  # January is sent once it has ended
def test_a_correction_shows_its_differences_and_the_credit_note_and_new_invoice(app, story):
    _accept(story.procurement, story.contract_id)
    first = _invoice(app, story.contract_id)
    with app.app_context():
        contract = db.session.get(Contract, story.contract_id)
        # Since: a referral on 20 January (added) and DL-5MR2F's enrolment ended as made by
        # mistake before January (removed).
        enrol_newcomer(db.session, contract.id, "DL-NEW01", date(2019, 1, 20))
        mistaken = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.id == story.enrolment_ids["DL-5MR2F"])
        )
        mistaken.start_on, mistaken.end_on, mistaken.end_reason = (
            date(2018, 10, 1),
            date(2018, 12, 31),
            "other",
        )
        corrected = JANUARY.replace("DL-9XW3M,148,148,0", "DL-9XW3M,148,140,8").replace(
            "DL-5MR2F,15,0,10,active,,\n", "DL-NEW01,30,28,,active,,\n"
        )
        report = reports.save_draft(
            db.session,
            ACTOR,
            contract,
            "2019-01",
            read_csv(corrected.encode()),
            date(2019, 2, 20),
            "test",
        )
        reports.submit(db.session, ACTOR, report)
        db.session.commit()
    page = _page(story.procurement, story.contract_id)
    section = page.xpath("//section[@id='differences']")[0]
    assert "version 1" in text_of(section.xpath(".//h3")[0])
    added = section.xpath(".//table[contains(@class, 'review-added')]//th[@scope='row']")
    removed = section.xpath(".//table[contains(@class, 'review-removed')]//th[@scope='row']")
    assert [text_of(th) for th in added] == ["DL-NEW01"]
    assert [text_of(th) for th in removed] == ["DL-5MR2F"]
    changed = section.xpath(".//table[contains(@class, 'review-changed')]//tr[td]")
    assert [
        (text_of(row.xpath("td[@data-old]")[0]), text_of(row.xpath("td[@data-new]")[0]))
        for row in changed
    ] == [("148,00", "140,00"), ("0,00", "8,00")]
    assert "DL-9XW3M" in text_of(changed[0])
    # Five lines are as they were: counted, not listed.
    assert section.xpath(".//p[@data-unchanged]/@data-unchanged") == ["5"]
    preview = page.xpath("//section[@id='invoice-preview']")[0]
    credit_row = preview.xpath(".//tr[@data-row='credit']")
    assert len(credit_row) == 1 and money(first.total, "da") in text_of(credit_row[0])
    shown = _amounts(page)

    _accept(story.procurement, story.contract_id)
    new = _invoice(app, story.contract_id)
    with app.app_context():
        notes = db.session.scalars(
            sa.select(Invoice).where(
                Invoice.kind == "credit_note", Invoice.contract_id == story.contract_id
            )
        ).all()
    assert [(n.credited_invoice_id, n.total) for n in notes] == [(first.id, first.total)]
    assert new.version == 2 and shown == {
        "net": money(new.net, "da"),
        "vat": money(new.vat, "da"),
        "total": money(new.total, "da"),
    }


def test_a_first_version_has_no_differences_section(app, story):
    page = _page(story.procurement, story.contract_id)
    assert page.xpath("//section[@id='differences']") == []


def test_a_provider_cannot_open_the_review_page(app, story):
    response = story.provider.get(REVIEW.format(story.contract_id))
    assert response.status_code == 403


def test_reading_the_review_page_is_in_the_audit_log(app, story):
    _page(story.procurement, story.contract_id)
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "participants.viewed",
                AuditEvent.actor_id == story.procurement.user_id,
            )
        ).all()
    assert len(events) == 1 and events[0].record_type == "monthly_report"


def test_the_page_is_in_english_when_asked(app, story):
    client = story.procurement
    token = csrf_token(client.get(REVIEW.format(story.contract_id)).get_data(as_text=True))
    client.post("/language", data={"language": "en", "next": "/", "csrf_token": token})
    page = _page(client, story.contract_id)
    assert "What the report will invoice" in page.text
    assert "Last month: December 2018" in page.text


def test_a_month_without_any_absence_notice_flags_no_line_for_absence():
    """With no absence notice in the month there is nothing to set the hours beside; a flag on
    every line with absence hours would only hide the lines worth a look."""
    line = dict(
        hours_planned=Decimal("100"),
        hours_delivered=Decimal("90"),
        absence_hours=Decimal("10"),
        days=31,
        weekly=Decimal("37"),
    )
    assert line_flags(**line, notified_absence=None) == []
    [flag] = line_flags(**line, notified_absence=Decimal("0"))
    assert flag.kind == "absence_unlike_notices"
