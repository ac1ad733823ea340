"""A report file made to cost the server: a header of a hundred thousand columns is refused at
once, and a file of endless problems is answered with the first hundred and how many more.

Issue 16 measured 17.7 s of CPU for 1.44 MB of header columns (the check of repeated columns
was quadratic), and a 28 MB JSON answer (15.7 MB of HTML) for 0.8 MB of unknown columns.
"""

from __future__ import annotations

import json
import time

import pytest

from contracts.rules.problems import MAX_PROBLEMS
from contracts.rules.report_format import MAX_COLUMNS
from tests.api.answers import assert_json_error
from tests.pages import PageParts
from tests.report_files.reporting import page_client, people, put, upload, versions

GOOD_HEADER = "participant_ref;hours_planned;hours_delivered;status"
# The sample contract's participants, each missing from a file of other references.
ENROLLED = 7


def problems_of(lines: int) -> int:
    return 3 * lines + ENROLLED


def _wide_header(columns: int) -> bytes:
    """A header of the four required columns and `columns` unknown ones, and one line."""
    names = ";".join(f"x{n}" for n in range(columns))
    return f"{GOOD_HEADER};{names}\nDL-00001;10;10;active{';' * columns}\n".encode()


def _bad_lines(lines: int) -> bytes:
    """`lines` lines each with two unreadable cells, and a participant not enrolled: three
    problems a line, and the seven enrolled participants missing (PROBLEMS(lines))."""
    body = "".join(f"DL-{n:05d};ti;tyve;active\n" for n in range(lines))
    return f"{GOOD_HEADER}\n{body}".encode()


@pytest.mark.usefixtures("january_ended")
def test_a_header_of_a_hundred_thousand_columns_is_refused_at_once(app, client):
    who = people(app)
    data = _wide_header(120_000)  # about 1 MB of header
    assert len(data) > 800_000
    started = time.process_time()
    response = put(client, who.provider_token, who.contract_id, data, "text/csv")
    assert time.process_time() - started < 2.0
    errors = assert_json_error(response, 422)
    assert len(errors) == 1
    assert f"at most {MAX_COLUMNS}" in errors[0]["message"]
    assert versions(app, who.contract_id) == []


@pytest.mark.usefixtures("january_ended")
def test_repeated_columns_are_found_in_linear_time(app, client):
    who = people(app)
    header = ";".join(["participant_ref"] * MAX_COLUMNS)
    response = put(client, who.provider_token, who.contract_id, f"{header}\n".encode(), "text/csv")
    errors = assert_json_error(response, 422)
    assert any("appears twice" in e["message"] for e in errors)


@pytest.mark.usefixtures("january_ended")
def test_a_json_line_of_many_keys_is_one_problem(app, client):
    who = people(app)
    line = {f"k{n}": "x" for n in range(50_000)}
    body = json.dumps({"lines": [line, line]}).encode()
    response = put(client, who.provider_token, who.contract_id, body, "application/json")
    errors = assert_json_error(response, 422)
    assert [e.get("line") for e in errors[:2]] == [1, 2]
    assert all(f"at most {MAX_COLUMNS}" in e["message"] for e in errors[:2])
    assert len(response.get_data()) < 50_000


@pytest.mark.usefixtures("january_ended")
def test_endless_problems_are_cut_off_with_how_many_more_on_the_api(app, client):
    who = people(app)
    response = put(client, who.provider_token, who.contract_id, _bad_lines(5_000), "text/csv")
    errors = assert_json_error(response, 422)
    assert len(errors) == MAX_PROBLEMS + 1
    assert errors[-1] == {"field": None, "message": f"and {problems_of(5_000) - MAX_PROBLEMS} more"}
    assert len(response.get_data()) < 50_000
    assert versions(app, who.contract_id) == []


@pytest.mark.usefixtures("january_ended")
def test_endless_problems_are_cut_off_with_how_many_more_on_the_page(app):
    who = people(app)
    browser = page_client(app)
    response = upload(browser, who.contract_id, _bad_lines(5_000))
    assert response.status_code == 422
    assert len(response.get_data()) < 300_000
    text = PageParts(response.get_data(as_text=True)).text
    assert f"og {problems_of(5_000) - MAX_PROBLEMS} mere" in text
    assert versions(app, who.contract_id) == []
