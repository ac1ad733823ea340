"""Procurement's participant list of a contract, in Danish: what each row says, the search, the
status filter, the pages, who may open it, and that reading it is audited once a day."""

from __future__ import annotations

from datetime import datetime, time

from contracts.rules.periods import COPENHAGEN
from tests.pages import PageParts, text_of
from tests.participants.conftest import (
    B_REFS,
    EXITED,
    NEW_IN_JANUARY,
    TRANSFERRED,
    UPCOMING,
    add_many,
    read_events,
)
from tests.scenarios import SAMPLE_REFS


def rows(html: str) -> list[list[str]]:
    """The participant table's rows as their cells' text."""
    parts = PageParts(html)
    return [
        [text_of(cell) for cell in row.xpath("./td")]
        for row in parts.xpath("//table[contains(@class, 'participants')]/tbody/tr")
    ]


def refs(html: str) -> list[str]:
    return [cells[0] for cells in rows(html)]


def test_the_list_shows_each_enrolment_with_its_start_status_and_end(world):
    page = world.client("procurement").get(world.list_url())
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    by_ref = {cells[0]: cells for cells in rows(html)}
    assert set(by_ref) == set(SAMPLE_REFS) | {
        EXITED[0],
        TRANSFERRED[0],
        UPCOMING[0],
        NEW_IN_JANUARY[0],
    }
    assert by_ref["DL-4Q7K2"][1:5] == ["01-10-2018", "Aktiv", "–", ""]
    assert by_ref[EXITED[0]][1:5] == ["01-11-2018", "Afgået", "14-12-2018", "Ydelse ophørt"]
    assert by_ref[TRANSFERRED[0]][1:3] == ["01-09-2018", "Overført"]
    assert by_ref[TRANSFERRED[0]][3] == "31-12-2018"
    assert by_ref[UPCOMING[0]][1:3] == ["04-02-2019", "Starter senere"]
    # Sorted by start: the transfer of September first, the one starting in February last.
    assert refs(html)[0] == TRANSFERRED[0] and refs(html)[-1] == UPCOMING[0]
    parts = PageParts(html)
    assert "Deltagere i SÆR-2018-03" in text_of(parts.xpath("//h1")[0])
    # Nobody of another provider is listed, and no CPR number or pseudonym is anywhere.
    assert not set(B_REFS) & set(by_ref)
    assert "pseudonym" not in html.lower()


def test_the_contract_page_links_to_the_list(world):
    parts = PageParts(
        world.client("procurement").get(f"/procurement/contracts/{world.contract_id}").data.decode()
    )
    assert world.list_url() in parts.xpath("//a/@href")


def test_search_finds_a_reference_by_any_part_in_any_case(world):
    client = world.client("procurement")
    assert refs(client.get(world.list_url(q="dl-4q7")).get_data(as_text=True)) == ["DL-4Q7K2"]
    assert refs(client.get(world.list_url(q="X0001")).get_data(as_text=True)) == [EXITED[0]]
    none = client.get(world.list_url(q="DL-B1111")).get_data(as_text=True)
    assert refs(none) == []
    assert "Ingen deltagere passer til søgningen." in PageParts(none).text
    # A wildcard is a character to find, not a pattern.
    assert refs(client.get(world.list_url(q="%25")).get_data(as_text=True)) == []


def test_the_status_filter_lists_only_that_status(world):
    client = world.client("procurement")
    exited = client.get(world.list_url(status="exited")).get_data(as_text=True)
    assert refs(exited) == [EXITED[0]]
    active = refs(client.get(world.list_url(status="active")).get_data(as_text=True))
    assert active == sorted(SAMPLE_REFS) + [NEW_IN_JANUARY[0]]
    both = client.get(world.list_url(status="active", q="N0001")).get_data(as_text=True)
    assert refs(both) == [NEW_IN_JANUARY[0]]
    wrong = client.get(world.list_url(status="gone"))
    assert wrong.status_code == 400
    assert "“gone” er ikke en status" in PageParts(wrong.get_data(as_text=True)).text


def test_the_counts_by_status_are_shown(world):
    parts = PageParts(world.client("procurement").get(world.list_url()).get_data(as_text=True))
    figures = {
        text_of(item.xpath("./dt")[0]): text_of(item.xpath("./dd")[0])
        for item in parts.xpath("//dl[contains(@class, 'figures')]/div")
    }
    assert figures["Aktiv"] == str(len(SAMPLE_REFS) + 1)
    assert figures["Afgået"] == "1" and figures["Overført"] == "1"
    assert figures["Starter senere"] == "1" and figures["Oprettet ved en fejl"] == "0"


def test_a_long_list_is_paged_in_start_order(world):
    many = add_many(world.app, world.b_contract_id, 120)
    client = world.client("procurement")
    first = client.get(world.list_url(world.b_contract_id)).get_data(as_text=True)
    assert refs(first) == many[:50]
    assert "122 deltagere fundet." in PageParts(first).text
    second = client.get(world.list_url(world.b_contract_id, page=2)).get_data(as_text=True)
    assert refs(second) == many[50:100]
    last = client.get(world.list_url(world.b_contract_id, page=3)).get_data(as_text=True)
    # The sample's two, enrolled on 1 October 2018, come after the last of April's and May's.
    assert refs(last) == many[100:] + B_REFS
    # The pager keeps the filter.
    parts = PageParts(client.get(world.list_url(world.b_contract_id, q="DL-M")).data.decode())
    hrefs = parts.xpath("//nav//a/@href")
    assert any("page=2" in href and "q=DL-M" in href for href in hrefs)


def test_a_page_past_the_last_is_empty_with_the_way_back(world):
    """A stale link, or a page number too large for the database (which answered 500)."""
    client = world.client("procurement")
    for page in (4, 99999999999999999999):
        response = client.get(world.list_url(world.b_contract_id, page=page))
        assert response.status_code == 200
        parts = PageParts(response.get_data(as_text=True))
        assert refs(response.get_data(as_text=True)) == []
        assert "Der er ingen deltagere på denne side." in parts.text
        assert "Ingen borgere er henvist" not in parts.text
        assert parts.xpath("//nav//a[@rel='prev']")


def test_reading_the_list_is_audited_once_per_user_and_day(world):
    app = world.app
    app.config["PORTAL_NOW"] = datetime.combine(app.config["PORTAL_TODAY"], time(9), COPENHAGEN)
    procurement = world.client("procurement")
    assert read_events(app, world.contract_id) == []
    procurement.get(world.list_url())
    procurement.get(world.list_url(q="DL-4"))
    procurement.get(world.list_url(status="exited", page=1))
    events = read_events(app, world.contract_id)
    assert len(events) == 1
    assert events[0].actor_label == "procurement@example.dk"
    # Another user reading it is another event; so is the next day.
    world.client("finance").get(world.list_url())
    app.config["PORTAL_NOW"] = datetime.combine(
        app.config["PORTAL_TODAY"], time(23, 59), COPENHAGEN
    )
    procurement.get(world.list_url())
    assert len(read_events(app, world.contract_id)) == 2
    app.config["PORTAL_NOW"] = datetime(2019, 1, 25, 0, 5, tzinfo=COPENHAGEN)
    procurement.get(world.list_url())
    events = read_events(app, world.contract_id)
    assert [e.actor_label for e in events] == [
        "procurement@example.dk",
        "finance@example.dk",
        "procurement@example.dk",
    ]
    # Reading B's list is recorded on B's contract, not on A's.
    procurement.get(world.list_url(world.b_contract_id))
    assert len(read_events(app, world.b_contract_id)) == 1
    # The contract's history on its page says who read the list.
    page = procurement.get(f"/procurement/contracts/{world.contract_id}").get_data(as_text=True)
    assert "Deltagerliste læst" in PageParts(page).text


def test_finance_reads_the_list_without_the_action(world):
    page = world.client("finance").get(world.list_url())
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert len(rows(html)) == len(SAMPLE_REFS) + 4
    assert "/withdraw" not in html


def test_procurement_is_offered_the_action_where_it_can_be_asked_for(world):
    html = world.client("procurement").get(world.list_url()).get_data(as_text=True)
    parts = PageParts(html)
    offered = {
        text_of(row.xpath("./td")[0])
        for row in parts.xpath("//table[contains(@class, 'participants')]/tbody/tr")
        if row.xpath(".//a[contains(@href, '/withdraw')]")
    }
    # Not for the one moved to the successor contract: that was a real course.
    assert offered == set(SAMPLE_REFS) | {EXITED[0], UPCOMING[0], NEW_IN_JANUARY[0]}


def test_providers_and_administrators_may_not_open_the_list(world):
    for who in ("provider", "other", "admin"):
        client = world.client(who)
        assert client.get(world.list_url()).status_code == 403, who
        assert client.get(world.list_url(world.b_contract_id)).status_code == 403, who
    assert read_events(world.app, world.contract_id) == []


def test_an_unknown_contract_is_not_found(world):
    assert world.client("procurement").get(world.list_url(999_999)).status_code == 404
