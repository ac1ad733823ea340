"""Reports written in the words the pages show: Danish status and exit reason labels, and the
column names of the report page, in any case and with æ/ø/å also as ae/oe/aa."""

from __future__ import annotations

import json

import pytest

from contracts.rules.problems import InputRejected
from contracts.rules.report_format import read_csv
from contracts.rules.report_words import ENGLISH
from tests.pages import PageParts, text_of
from tests.report_files.reporting import (
    PAGE,
    SAMPLES,
    page_client,
    people,
    put,
    stored,
    upload,
)

# The Danish words as the pages show them (messages.po), for every code in the sample.
DANISH_REASONS = {
    b";job": b";Job",
    b";benefit_stopped": b";ydelse oph\xf8rt",  # Windows-1252, as Danish Excel saves it
    b";education": b";UDDANNELSE",
    b";imprisonment": b";f\xe6ngsling",
}
PAGE_HEADER = "Deltager;Timer planlagt;Timer leveret;Fravær (timer);Status;Afgangsdato;Afgangsårsag"


def danish_sample() -> bytes:
    """The Danish Excel sample with the report page's column names and Danish reason words."""
    data = (SAMPLES / "report-2019-01-excel-da.csv").read_bytes()
    header, rest = data.split(b"\r\n", 1)
    for code, word in DANISH_REASONS.items():
        assert code + b"\r\n" in rest, code
        rest = rest.replace(code + b"\r\n", word + b"\r\n")
    rest = rest.replace(b";afg\xe5et;", b";Afg\xe5et;", 1).replace(b";aktiv;", b";AKTIV;", 1)
    return PAGE_HEADER.encode("cp1252") + b"\r\n" + rest


def test_the_danish_sample_in_page_words_stores_the_same_lines_as_the_english_one(app):
    team = people(app)
    client = app.test_client()
    english = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes()
    assert (
        put(client, team.provider_token, team.contract_id, english, "text/csv").status_code == 200
    )
    from_english = stored(app, team.contract_id)
    assert len(from_english) == 7 and {line[6] for line in from_english} >= {"benefit_stopped"}

    answer = put(client, team.provider_token, team.contract_id, danish_sample(), "text/csv")
    assert answer.status_code == 200, answer.get_json()
    assert stored(app, team.contract_id) == from_english
    # And through the page's upload, in UTF-8 with the ae/oe/aa spellings.
    spelled = (
        danish_sample()
        .decode("cp1252")
        .replace("ydelse ophørt", "Ydelse ophoert")
        .replace("Afgået", "afgaaet")
        .replace("Fravær (timer)", "fravaer timer")
        .encode("utf-8")
    )
    browser = page_client(app)
    assert upload(browser, team.contract_id, spelled).status_code == 302
    assert stored(app, team.contract_id) == from_english


def test_json_lines_take_the_danish_values_too(app):
    team = people(app)
    client = app.test_client()
    body = json.loads((SAMPLES / "report-2019-01.json").read_text())
    english = put(
        client, team.provider_token, team.contract_id, json.dumps(body), "application/json"
    )
    assert english.status_code == 200
    from_english = stored(app, team.contract_id)
    words = {
        "active": "Aktiv",
        "exited": "afgået",
        "job": "JOB",
        "benefit_stopped": "Ydelse ophørt",
    }
    words |= {"education": "uddannelse", "imprisonment": "Fængsling"}
    for line in body["lines"]:
        line["status"] = words[line["status"]]
        if line.get("exit_reason"):
            line["exit_reason"] = words[line["exit_reason"]]
    danish = put(
        client, team.provider_token, team.contract_id, json.dumps(body), "application/json"
    )
    assert danish.status_code == 200, danish.get_json()
    assert stored(app, team.contract_id) == from_english


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_column_name_the_report_page_shows_is_accepted_as_a_header(app, language):
    team = people(app)
    browser = page_client(app, language=language)
    page = PageParts(browser.get(PAGE.format(team.contract_id)).get_data(as_text=True))
    shown = [
        text_of(th) for th in page.xpath("//table[contains(@class, 'report-form')]//thead//th")
    ]
    assert len(shown) == 7 and shown[0] in ("Deltager", "Participant")
    english = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes().decode("utf-8-sig")
    body = english.split("\n", 1)[1]
    as_shown = (",".join(shown) + "\n" + body).encode("utf-8")
    assert upload(browser, team.contract_id, as_shown).status_code == 302
    assert len(stored(app, team.contract_id)) == 7


def test_a_word_the_pages_do_not_show_is_still_refused_with_the_words_allowed():
    data = b"participant_ref;hours_planned;hours_delivered;status;exit_date;exit_reason\r\n"
    data += b"DL-1;10;10;afgaaet;03-01-2019;fyret\r\nDL-2;10;10;halvaktiv;;\r\n"
    read = read_csv(data, ENGLISH)
    problems = {(p.line, p.field): p for p in read.problems}
    assert set(problems) == {(2, "exit_reason"), (3, "status")}
    assert "is not an exit reason" in problems[2, "exit_reason"].template
    # Every status a line may have is named, the follow-up lines' too.
    assert "follow_up" in problems[3, "status"].template
    assert "opfølgning" in problems[3, "status"].template


def test_a_header_the_pages_do_not_show_is_still_an_unknown_column():
    with pytest.raises(InputRejected) as refused:
        read_csv(b"Deltager;Timer;Timer leveret;Status\r\nDL-1;1;1;aktiv\r\n")
    assert [p.params.get("name") for p in refused.value.problems][:1] == ["Timer"]
