"""The home pages show the figures as of today from the enrolments: procurement's the whole
effort, a provider's its own; "Aktive i dag" counts only those active today."""

from __future__ import annotations

from datetime import date

from tests.figures.conftest import B_REFS, SAMPLE_REFS
from tests.pages import PageParts, text_of


def _figures_section(client, url: str, heading: str = "totals-heading") -> tuple[str, dict]:
    """The heading of a page's figures and its figures by Danish label."""
    page = PageParts(client.get(url).get_data(as_text=True))
    (section,) = page.xpath("//section[@aria-labelledby=$h]", h=heading)
    heading = text_of(section.xpath(".//h2")[0])
    figures = {
        text_of(pair.xpath("dt")[0]): text_of(pair.xpath("dd")[0])
        for pair in section.xpath(".//dl/div")
    }
    return heading, figures


def test_procurement_sees_a_confirmed_exit_on_its_overview_the_same_day(world):
    client = world.client("procurement")
    heading, before = _figures_section(client, "/procurement/")
    assert heading == "Indsatsen pr. 24-01-2019"
    assert (before["Deltagere"], before["Aktive i dag"], before["Afgange"]) == ("9", "9", "0")

    world.exit_confirmed(SAMPLE_REFS[0], "2019-01-24", "benefit_stopped")
    world.exit_confirmed(B_REFS[0], "2019-01-15", "job", world.b_contract_id)
    _, after = _figures_section(client, "/procurement/")
    assert after == {
        "Deltagere": "9",
        "Aktive i dag": "7",
        "Afgange": "2",
        "Job eller uddannelse": "1",
        "Ydelse ophørt": "1",
        "Andre årsager": "0",
    }


def test_a_referral_starting_next_week_is_not_active_today(world):
    world.enrol("DL-NEXT7", world.contract_id, date(2019, 1, 31))
    client = world.client("procurement")
    _, figures = _figures_section(client, "/procurement/")
    assert (figures["Deltagere"], figures["Aktive i dag"]) == ("9", "9")
    _, own = _figures_section(world.client("provider"), "/provider/")
    assert (own["Deltagere"], own["Aktive i dag"]) == ("7", "7")


def test_a_provider_sees_its_own_figures_only(world):
    world.exit_confirmed(B_REFS[0], "2019-01-15", "job", world.b_contract_id)
    world.exit_confirmed(SAMPLE_REFS[2], "2019-01-20", "moved")
    heading, own = _figures_section(world.client("provider"), "/provider/")
    assert heading == "Jeres deltagere pr. 24-01-2019"
    assert own == {
        "Deltagere": "7",
        "Aktive i dag": "6",
        "Afgange": "1",
        "Job eller uddannelse": "0",
        "Ydelse ophørt": "0",
        "Andre årsager": "1",
    }
    _, other = _figures_section(world.client("other"), "/provider/")
    assert (other["Deltagere"], other["Aktive i dag"], other["Job eller uddannelse"]) == (
        "2",
        "1",
        "1",
    )


def test_the_contract_page_counts_as_the_figures_do(world):
    # A referral from next week and an exit today: neither is active today on the contract's page.
    world.enrol("DL-NEXT7", world.contract_id, date(2019, 1, 31))
    world.exit_confirmed(SAMPLE_REFS[0], "2019-01-24", "job")
    url = f"/procurement/contracts/{world.contract_id}"
    _, shown = _figures_section(world.client("procurement"), url, "participants-heading")
    counted = world.figures(scope="contract", id=world.contract_id)
    assert (counted["participants"], counted["active"]) == (7, 6)
    assert shown["Aktive i dag"] == "6"
    assert list(shown.values()) == ["7", "6"]
