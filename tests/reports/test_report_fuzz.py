"""Property-based: whatever bytes a provider's system sends, the reader, the rules and the API
answer with a reason, never a crash, and a report is stored whole or not at all.

Reports are drawn as real ones first (the sample report, with random header order and names,
delimiter, decimal mark, date format and encoding), then spoilt: rows dropped, duplicated or
garbled, cells made huge, NUL bytes and stray quotes thrown in; plus bytes and JSON at random.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from contracts.models import ReportLine
from contracts.rules.problems import InputRejected
from contracts.rules.report_checks import Enrolled, check_report
from contracts.rules.report_format import read_csv, read_json
from contracts.services import DomainError
from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.scenarios import SAMPLE_REFS, sample_scenario

ENROLLED = [
    Enrolled(ref, n, 100 + n, date(2018, 10, 1)) for n, ref in enumerate(SAMPLE_REFS, start=1)
]
# The sample report (tests/data/samples/README.md) by canonical column.
GOOD = [
    ("DL-4Q7K2", "148", "131.5", "16.5", "active", None, None),
    ("DL-9XW3M", "148", "148", "0", "active", None, None),
    ("DL-2HB8R", "74", "60", "14", "exited", date(2019, 1, 16), "job"),
    ("DL-7TZ5C", "148", "120.25", "27.75", "active", None, None),
    ("DL-3PJ6N", "52.75", "21", "31.75", "exited", date(2019, 1, 10), "benefit_stopped"),
    ("DL-8KD4V", "95", "95", "0", "exited", date(2019, 1, 19), "education"),
    ("DL-5MR2F", "15", "0", "0", "exited", date(2019, 1, 3), "imprisonment"),
]
COLUMNS = (
    "participant_ref",
    "hours_planned",
    "hours_delivered",
    "absence_hours",
    "status",
    "exit_date",
    "exit_reason",
)
HEADER_NAMES = {
    "participant_ref": ["participant_ref", "deltager", "Deltager", "PARTICIPANT_REF"],
    "hours_planned": ["hours_planned", "timer_planlagt", "Timer planlagt"],
    "hours_delivered": ["hours_delivered", "timer_leveret", "Timer-leveret"],
    "absence_hours": ["absence_hours", "fravær_timer", "fravaer_timer", "Fravær timer"],
    "status": ["status", "Status"],
    "exit_date": ["exit_date", "afgangsdato"],
    "exit_reason": ["exit_reason", "afgangsårsag", "afgangsaarsag"],
}
STATUS_WORDS = {"active": ["active", "aktiv", "Aktiv"], "exited": ["exited", "afgået", "afgaaet"]}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
JUNK = st.one_of(
    st.text(max_size=30),
    st.just("\x00"),
    st.just('"'),
    st.just("1e3"),
    st.just("1.000,5"),
    st.just("-0"),
    st.just("NaN"),
    st.just("=cmd|' /C calc'!A0"),
    st.just("x" * 200_000),
    st.just("31-02-2019"),
    st.just("vacation"),
    st.just(""),
)


@st.composite
def csv_reports(draw) -> bytes:
    """A report as some system might write it: mostly right, sometimes spoilt."""
    columns = list(COLUMNS)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    delimiter = draw(st.sampled_from([";", ","]))
    comma = delimiter == ";" and draw(st.booleans())
    date_format = draw(st.sampled_from(DATE_FORMATS))
    header = [draw(st.sampled_from(HEADER_NAMES[c])) for c in columns]
    rows = []
    for line in GOOD:
        values = dict(zip(COLUMNS, line, strict=True))
        cells = []
        for column in columns:
            value = values[column]
            if value is None:
                cells.append("")
            elif column == "status":
                cells.append(draw(st.sampled_from(STATUS_WORDS[value])))
            elif column == "exit_date":
                cells.append(value.strftime(date_format))
            elif column.endswith("hours") or column.startswith("hours"):
                cells.append(value.replace(".", ",") if comma else value)
            else:
                cells.append(value)
        rows.append(cells)
    spoil = draw(st.integers(0, 5))
    for _ in range(spoil):
        action = draw(st.sampled_from(["drop", "repeat", "cell", "short", "quote", "nul"]))
        if not rows:
            break
        at = draw(st.integers(0, len(rows) - 1))
        if not rows[at]:
            rows[at] = [""]
        if action == "drop":
            rows.pop(at)
        elif action == "repeat":
            rows.insert(at, list(rows[at]))
        elif action == "cell":
            rows[at][draw(st.integers(0, len(rows[at]) - 1))] = draw(JUNK)
        elif action == "short":
            rows[at] = rows[at][: draw(st.integers(0, len(columns) - 1))]
        elif action == "quote":
            rows[at][0] = '"' + rows[at][0]
        else:
            rows[at][-1] += "\x00"
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = newline.join(delimiter.join(r) for r in [header, *rows]) + newline
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=4)
    ),
    max_leaves=20,
)
json_lines = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            c: st.one_of(json_values, st.sampled_from(SAMPLE_REFS + ["148", "aktiv"]))
            for c in COLUMNS
        },
    ),
    max_size=9,
)


def _read_and_check(read_call) -> None:
    """Read and check; the only refusals allowed are the domain's, with reasons."""
    try:
        read = read_call()
        lines = check_report(read, "2019-01", ENROLLED)
    except (InputRejected, DomainError) as refusal:
        problems = getattr(refusal, "problems", None)
        if problems is not None:
            assert problems and all(p.message for p in problems)
            assert refusal.status in (413, 422)
        return
    assert len(lines) == len(read.lines) == len(ENROLLED)


@settings(max_examples=250, deadline=None, database=None)
@given(st.one_of(st.binary(max_size=600), csv_reports()))
def test_reading_and_checking_any_bytes_never_crashes(data):
    _read_and_check(lambda: read_csv(data))


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.one_of(json_values, st.fixed_dictionaries({"lines": json_lines}), st.binary(max_size=300))
)
def test_reading_any_json_never_crashes(value):
    if isinstance(value, bytes):
        _read_and_check(lambda: read_json(value))
    elif isinstance(value, dict):
        _read_and_check(lambda: read_json(value))
        _read_and_check(lambda: read_json(json.dumps(value).encode()))
    else:
        _read_and_check(lambda: read_json(json.dumps(value).encode()))


def test_a_few_known_hard_cases_are_refused_with_reasons():
    for data in [
        b"\x00",
        "deltager\n".encode("utf-16"),
        b'"a;b\n',
        b"a" * 200_000 + b"\n1",
        b"\x1c",
        b"\r\r\r;",
        b";;;\n;;;",
    ]:
        _read_and_check(lambda data=data: read_csv(data))


def test_a_byte_order_mark_alone_is_refused_with_a_reason():
    _read_and_check(lambda: read_csv(b"\xef\xbb\xbf"))


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.one_of(
        csv_reports(),
        st.binary(max_size=400),
        st.fixed_dictionaries({"lines": json_lines}).map(lambda v: json.dumps(v).encode()),
    ),
    content_type=st.sampled_from(
        [
            "text/csv",
            "application/json",
            "text/plain; charset=utf-8",
            "application/octet-stream",
            "image/png",
        ]
    ),
)
def test_the_api_answers_every_body_with_json_and_stores_whole_or_nothing(app, body, content_type):
    client, token, contract_id = _api(app)
    url = f"/api/v1/contracts/{contract_id}/reports/2019-01"
    before = _line_count(app)
    response = client.put(url, data=body, headers={**bearer(token), "Content-Type": content_type})
    event(f"status {response.status_code}")
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.status_code
    assert response.is_json
    answer = response.get_json()
    if response.status_code == 200:
        assert answer["status"] == "draft"
        assert len(answer["lines"]) == _line_count(app) == len(SAMPLE_REFS)
        assert [line["participant_ref"] for line in answer["lines"]] == [
            line["participant_ref"]
            for line in client.get(url, headers=bearer(token)).get_json()["lines"]
        ]
    else:
        assert answer["errors"] and all(e["message"] for e in answer["errors"])
        assert _line_count(app) == before


def _api(app):
    """The sample contract and its provider's token, made once per app."""
    if "fuzz" not in app.extensions:
        with app.app_context():
            scenario = sample_scenario(db.session)
            user = create_user(
                db.session,
                TEST_ACTOR,
                "fuzz@example.dk",
                "provider",
                TEST_PASSWORD,
                scenario.provider_id,
            )
            token = create_token(db.session, TEST_ACTOR, user)[1]
            db.session.commit()
        app.extensions["fuzz"] = (token, scenario.contract_id)
    token, contract_id = app.extensions["fuzz"]
    return app.test_client(), token, contract_id


def _line_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ReportLine))


def test_hours_are_decimals_through_and_through():
    """The reader never turns hours into floats (money and hours are Decimal)."""
    read = read_json(
        {
            "lines": [
                {
                    "participant_ref": "DL-4Q7K2",
                    "hours_planned": 148,
                    "hours_delivered": "131,5",
                    "status": "aktiv",
                }
            ]
        }
    )
    assert read.lines[0].hours_delivered == Decimal("131.50")
    assert isinstance(read.lines[0].hours_planned, Decimal)
