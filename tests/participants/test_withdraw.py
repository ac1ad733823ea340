"""Ending an enrolment registered by mistake, from procurement's participant list: it needs a
reason, is refused while a report that counts carries the participant, and otherwise ends the
enrolment on its start day so that no report, figure or count includes it; it is audited."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Enrolment, MonthlyReport, Notice, ReportLine
from contracts.rules.problems import InputRejected
from contracts.rules.report_format import read_csv
from contracts.services import notices, reports
from contracts.services.audit import Actor
from contracts.services.figures import effort_totals
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_report, sample_report
from tests.pages import PageParts, text_of
from tests.participants.conftest import MISTAKE, TRANSFERRED, enrol
from tests.scenarios import SAMPLE_REFS

REF, START = MISTAKE
REASON = "Henvist til den forkerte aftale; borgeren hører til SÆR-B"
ACTOR = Actor("test")
MISTAKE_LINE = f"{REF},40,40,0,active,,\n".encode()


def january_with_mistake() -> bytes:
    """The sample January report with a line for the participant referred by mistake."""
    return sample_report() + MISTAKE_LINE


def end(app, enrolment_id: int) -> tuple[date | None, str | None]:
    with app.app_context():
        row = db.session.get(Enrolment, enrolment_id)
        return row.end_on, row.end_reason


def withdrawals(app) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "enrolment.withdrawn")
        ).all()
        db.session.expunge_all()
        return list(events)


def post_withdraw(world, client, ref: str = REF, reason: str = REASON):
    """Open the confirmation page (or the list, where it refuses) and post the reason."""
    token = csrf_token(client.get(world.list_url()).get_data(as_text=True))
    return client.post(world.withdraw_url(ref), data={"csrf_token": token, "reason": reason})


def save_january(app, data: bytes, status: str = "draft") -> MonthlyReport:
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract).where(Contract.reference == "SÆR-2018-03"))
        report = make_report(db.session, contract, data, status=status)
        db.session.commit()
        return report.id


def test_the_confirmation_page_says_what_happens_and_asks_why(plain):
    page = plain.client("procurement").get(plain.withdraw_url(REF))
    assert page.status_code == 200
    parts = PageParts(page.get_data(as_text=True))
    assert text_of(parts.xpath("//h1")[0]) == f"Afslut forløbet for {REF} som oprettet ved en fejl"
    assert "slutter så på sin startdag og tæller ingen steder" in parts.text
    assert parts.xpath("//label[@for = 'reason']")
    assert parts.xpath("//form[@method = 'post']//textarea[@name = 'reason']")


def test_without_a_reason_nothing_changes(plain):
    client = plain.client("procurement")
    response = post_withdraw(plain, client, reason="   ")
    assert response.status_code == 422
    parts = PageParts(response.get_data(as_text=True))
    assert "Skriv, hvorfor forløbet blev oprettet ved en fejl." in parts.text
    assert end(plain.app, plain.enrolment_ids[REF]) == (None, None)
    assert withdrawals(plain.app) == []


def test_it_ends_on_its_start_day_is_audited_with_the_reason_and_listed(plain):
    client = plain.client("procurement")
    response = post_withdraw(plain, client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(plain.list_url())
    assert end(plain.app, plain.enrolment_ids[REF]) == (START, "withdrawn")
    [event] = withdrawals(plain.app)
    assert event.actor_label == "procurement@example.dk"
    assert (event.record_type, event.record_id) == ("contract", plain.contract_id)
    assert event.details["reason"] == REASON
    assert event.details["participant"] == REF
    assert event.details["enrolment_id"] == plain.enrolment_ids[REF]
    listed = PageParts(client.get(response.headers["Location"]).get_data(as_text=True))
    assert f"Forløbet for {REF} er afsluttet som oprettet ved en fejl." in listed.text
    row = listed.xpath("//tr[@data-status = 'withdrawn']")
    assert [text_of(cell) for cell in row[0].xpath("./td")][:5] == [
        REF,
        "07-01-2019",
        "Oprettet ved en fejl",
        "07-01-2019",
        "Oprettet ved en fejl",
    ]
    history = PageParts(
        client.get(f"/procurement/contracts/{plain.contract_id}").get_data(as_text=True)
    )
    assert "Forløb afsluttet som oprettet ved en fejl" in history.text
    assert REASON in history.text
    # Done once: asked again, it is refused and nothing more is recorded.
    again = post_withdraw(plain, client)
    assert again.status_code == 409
    assert "allerede afsluttet som oprettet ved en fejl" in PageParts(again.data.decode()).text
    assert len(withdrawals(plain.app)) == 1


def test_the_months_report_no_longer_needs_or_takes_a_line_for_it(plain):
    app = plain.app
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract).where(Contract.reference == "SÆR-2018-03"))
        with pytest.raises(InputRejected) as missing:
            reports.save_draft(
                db.session,
                ACTOR,
                contract,
                "2019-01",
                read_csv(sample_report()),
                date(2019, 2, 5),
                "t",
            )
        assert any(REF in problem.message for problem in missing.value.problems)
        db.session.rollback()
    assert post_withdraw(plain, plain.client("procurement")).status_code == 302
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract).where(Contract.reference == "SÆR-2018-03"))
        with pytest.raises(InputRejected) as extra:
            reports.save_draft(
                db.session,
                ACTOR,
                contract,
                "2019-01",
                read_csv(january_with_mistake()),
                date(2019, 2, 5),
                "t",
            )
        assert [p.line for p in extra.value.problems if REF in p.message] == [9]
        db.session.rollback()
        # The seven real participants make the whole report, which is accepted.
        report = make_report(db.session, contract, sample_report())
        assert report.status == "accepted" and len(report.lines) == len(SAMPLE_REFS)


def test_it_is_neither_a_participant_nor_an_exit_in_the_figures(plain):
    app = plain.app
    with app.app_context():
        session = db.session
        contract = session.scalar(sa.select(Contract).where(Contract.reference == "SÆR-2018-03"))
        provider = Viewer(None, "provider", contract.provider_id)
        notice = notices.record(
            session,
            ACTOR,
            provider,
            contract.id,
            participant_ref=REF,
            kind="exit",
            on=date(2019, 1, 10),
            today=date(2019, 1, 10),
            reason="other",
        )
        notices.confirm(session, ACTOR, notice.id)
        session.commit()
        before = effort_totals(session, date(2019, 1, 24), [contract.id])
        notice_id = notice.id
    assert (before.participants, before.exits, before.other) == (8, 1, 1)
    client = plain.client("procurement")
    assert (
        "Indskrevet siden start"
        in PageParts(client.get(f"/procurement/contracts/{plain.contract_id}").data.decode()).text
    )
    assert post_withdraw(plain, client).status_code == 302
    with app.app_context():
        after = effort_totals(db.session, date(2019, 1, 24), [plain.contract_id])
        rejected = db.session.get(Notice, notice_id)
        assert (rejected.status, rejected.rejection_reason) == ("rejected", REASON)
    assert (after.participants, after.active, after.exits, after.other) == (7, 7, 0, 0)
    counts = PageParts(client.get(f"/procurement/contracts/{plain.contract_id}").data.decode())
    figures = {
        text_of(item.xpath("./dt")[0]): text_of(item.xpath("./dd")[0])
        for item in counts.xpath("//section[@aria-labelledby = 'participants-heading']//dl/div")
    }
    assert figures == {"Indskrevet siden start": "7", "Aktive i dag": "7"}


@pytest.mark.parametrize("status", ["accepted", "submitted"])
def test_refused_while_a_report_that_counts_or_waits_carries_the_participant(plain, status):
    report_id = save_january(plain.app, january_with_mistake(), status)
    client = plain.client("procurement")
    page = client.get(plain.withdraw_url(REF))
    parts = PageParts(page.get_data(as_text=True))
    assert "indberetningen skal først ikke længere have deltageren med" in parts.text
    assert not parts.xpath("//textarea[@name = 'reason']")
    response = post_withdraw(plain, client)
    assert response.status_code == 409
    text = PageParts(response.get_data(as_text=True)).text
    assert f"{REF} er med i indberetningen for januar 2019" in text
    assert "en godkendt eller faktureret skal rettes af leverandøren" in text
    assert end(plain.app, plain.enrolment_ids[REF]) == (None, None)
    assert withdrawals(plain.app) == []
    with plain.app.app_context():
        assert db.session.get(MonthlyReport, report_id).status == status


@pytest.mark.usefixtures("january_ended")  # January is sent once it has ended
def test_a_draft_loses_the_line_and_can_then_be_sent(plain):
    report_id = save_january(plain.app, january_with_mistake(), "draft")
    assert post_withdraw(plain, plain.client("procurement")).status_code == 302
    [event] = withdrawals(plain.app)
    assert event.details["draft_lines_removed"] == 1
    with plain.app.app_context():
        session = db.session
        refs = session.scalars(
            sa.select(ReportLine.participant_id).where(ReportLine.report_id == report_id)
        ).all()
        assert len(refs) == len(SAMPLE_REFS)
        report = session.get(MonthlyReport, report_id)
        reports.submit(session, ACTOR, report)
        reports.accept(session, ACTOR, report)
        session.commit()
        assert end_of(session, plain.enrolment_ids[REF]) == (START, "withdrawn")


def end_of(session, enrolment_id: int):
    row = session.get(Enrolment, enrolment_id)
    return row.end_on, row.end_reason


def test_only_procurement_may_do_it(plain):
    home = {"provider": "/provider/", "other": "/provider/", "finance": "/finance/"}
    for who, page in home.items():
        client = plain.client(who)
        assert client.get(plain.withdraw_url(REF)).status_code == 403, who
        token = csrf_token(client.get(page).get_data(as_text=True))
        posted = client.post(plain.withdraw_url(REF), data={"csrf_token": token, "reason": REASON})
        assert posted.status_code == 403, who
    assert end(plain.app, plain.enrolment_ids[REF]) == (None, None)
    assert withdrawals(plain.app) == []


def test_another_contracts_enrolment_is_not_found_and_a_changeover_is_refused(plain):
    client = plain.client("procurement")
    b_on_a = (
        f"/procurement/contracts/{plain.contract_id}/participants/"
        f"{plain.enrolment_ids['DL-B1111']}/withdraw"
    )
    assert client.get(b_on_a).status_code == 404
    with plain.app.app_context():
        moved = enrol(db.session, plain.contract_id, *TRANSFERRED)
        db.session.commit()
        plain.enrolment_ids[TRANSFERRED[0]] = moved.id
    response = post_withdraw(plain, client, ref=TRANSFERRED[0])
    assert response.status_code == 409
    assert "skifte mellem en aftale og dens efterfølger" in PageParts(response.data.decode()).text
    assert end(plain.app, moved.id) == (TRANSFERRED[2], "transferred")
