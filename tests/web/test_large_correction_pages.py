"""Procurement's review of a large correction (issue 16): the differences from the version before
are counted over all lines, the added and changed lines listed for the page's lines as the flags
are, and the removed lines (on no page of the correction) listed up to a limit and counted."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Enrolment, Participant
from contracts.rules.report_format import read_csv
from contracts.services import invoicing, reports
from contracts.services.report_differences import REMOVED_LISTED
from contracts.services.report_line_pages import LARGE_MONTH
from provider_portal.extensions import db
from tests.factories import ACTOR, enrol_newcomer, logged_in_client, make_report
from tests.pages import PageParts, text_of
from tests.scenarios import sample_scenario

KEPT = LARGE_MONTH + 20  # the correction's lines: three pages, 50, 50 and 21 with the newcomer
GONE = REMOVED_LISTED + 10  # on the first version only: their enrolments were made by mistake
REFS = [f"DL-{n:05d}" for n in range(1, KEPT + GONE + 1)]
REVIEW = "/procurement/contracts/{}/reports/2019-01"
HEADER = (
    "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason\n"
)

pytestmark = pytest.mark.usefixtures("january_ended")


def _csv(lines: dict[str, tuple[str, str, str]]) -> bytes:
    return (
        HEADER + "".join(f"{ref},{p},{d},{a},active,,\n" for ref, (p, d, a) in lines.items())
    ).encode()


@pytest.fixture
def correction(any_app) -> int:
    """January invoiced with every participant's line, then corrected: line 5 delivers 10 hours
    fewer, line 110 one hundredth more, line 7's blank absence is 0 (the same), the GONE lines
    are removed and a newcomer enrolled on 20 January is added last; the contract's id."""
    first = {ref: ("100", "90", "" if n == 7 else "1") for n, ref in enumerate(REFS, start=1)}
    with any_app.app_context():
        found = sample_scenario(db.session, refs=REFS)
        contract = db.session.get(Contract, found.contract_id)
        make_report(db.session, contract, _csv(first))
        invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        for enrolment in db.session.scalars(
            sa.select(Enrolment).join(Participant).where(Participant.ref.in_(REFS[KEPT:]))
        ):
            enrolment.end_on, enrolment.end_reason = date(2018, 12, 31), "other"
        enrol_newcomer(db.session, contract.id, "DL-NEW01", date(2019, 1, 20))
        corrected = {ref: first[ref] for ref in REFS[:KEPT]}
        corrected[REFS[4]] = ("100", "80", "1")
        corrected[REFS[6]] = ("100", "90", "0")
        corrected[REFS[109]] = ("100", "90.01", "1")
        corrected["DL-NEW01"] = ("30", "28", "")
        report = reports.save_draft(
            db.session, ACTOR, contract, "2019-01", read_csv(_csv(corrected)), date(2019, 2, 5), "t"
        )
        reports.submit(db.session, ACTOR, report)
        db.session.commit()
        return found.contract_id


def _listed(section, kind: str) -> list[str]:
    return [
        text_of(th)
        for th in section.xpath(f".//table[contains(@class, 'review-{kind}')]//th[@scope='row']")
    ]


def test_the_differences_are_counted_over_all_lines_and_listed_for_the_page(any_app, correction):
    client = logged_in_client(any_app, "indkob@example.dk", "procurement")
    seen = {}
    for page in (1, 2, 3):
        response = client.get(REVIEW.format(correction) + f"?page={page}")
        assert response.status_code == 200
        section = PageParts(response.get_data(as_text=True)).xpath("//section[@id='differences']")[
            0
        ]
        text = text_of(section)
        assert f"Tilføjet: 1 · fjernet: {GONE} · ændret: 2 · uændret: 118" in text, text
        seen[page] = {kind: _listed(section, kind) for kind in ("added", "changed", "removed")}
        # The removed lines, on no page of the correction, are the same on every page: the first
        # of them in the order of the version before, the rest counted.
        assert seen[page]["removed"] == REFS[KEPT : KEPT + REMOVED_LISTED]
        assert section.xpath(".//p[@data-removed-unlisted]/@data-removed-unlisted") == ["10"]
        assert "10 fjernede linjer mere er ikke vist." in text
        assert section.xpath(".//p[@data-unchanged]/@data-unchanged") == ["118"]
    assert seen[1]["changed"] == [REFS[4]] and seen[1]["added"] == []
    assert "Blandt linje 1–50 af 121" in text_of(
        PageParts(client.get(REVIEW.format(correction)).get_data(as_text=True)).xpath(
            "//section[@id='differences']"
        )[0]
    )
    assert seen[2] == {"added": [], "changed": [], "removed": seen[1]["removed"]}
    assert seen[3]["changed"] == [REFS[109]] and seen[3]["added"] == ["DL-NEW01"]
    # The change of a hundredth is shown as it is.
    last = PageParts(client.get(REVIEW.format(correction) + "?page=3").get_data(as_text=True))
    changed = last.xpath("//table[contains(@class, 'review-changed')]//tr[td]")
    assert [
        (text_of(r.xpath("td[@data-old]")[0]), text_of(r.xpath("td[@data-new]")[0]))
        for r in changed
    ] == [("90,00", "90,01")]


def test_a_small_correction_lists_every_difference(app):
    with app.app_context():
        refs = REFS[:3]
        found = sample_scenario(db.session, refs=refs)
        contract = db.session.get(Contract, found.contract_id)
        lines = {ref: ("100", "90", "1") for ref in refs}
        make_report(db.session, contract, _csv(lines))
        invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        lines[refs[0]] = ("100", "90", "2")
        lines[refs[2]] = ("100", "95", "1")
        report = reports.save_draft(
            db.session, ACTOR, contract, "2019-01", read_csv(_csv(lines)), date(2019, 2, 5), "t"
        )
        reports.submit(db.session, ACTOR, report)
        db.session.commit()
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    page = PageParts(client.get(REVIEW.format(found.contract_id)).get_data(as_text=True))
    section = page.xpath("//section[@id='differences']")[0]
    assert _listed(section, "changed") == [refs[0], refs[2]]
    assert "Blandt linje" not in text_of(section)
    assert section.xpath(".//p[@data-removed-unlisted]") == []
