"""Input found by an outside fuzzer that answered 500 (issue 16): each is now a plain refusal.

The API answers its JSON error with a 4xx status; pages answer a page (404 where the address
names nothing), never a server error.
"""

from __future__ import annotations

import json

import pytest

from tests.api.answers import assert_json_error
from tests.api.conftest import bearer
from tests.bodies import TENDER
from tests.conftest import VALID_CVRS, login
from tests.factories import logged_in_client


@pytest.fixture
def staff(app, make_token) -> str:
    return make_token(app, "indkob@example.dk", "procurement")


def _post_raw(client, token: str, path: str, raw: str):
    return client.post(
        path, headers=bearer(token), data=raw.encode(), content_type="application/json"
    )


@pytest.mark.parametrize(
    "job_id", ["a.b", "aggregate-2019-01%20x", "%C3%A6bler", "aggregate-2019-01:x", "x" * 300]
)
def test_a_job_id_rq_would_refuse_is_not_found(app, client, staff, job_id):
    assert_json_error(client.get(f"/api/v1/jobs/{job_id}", headers=bearer(staff)), 404)
    pages = logged_in_client(app, "okonomi@example.dk", "finance")
    assert pages.get(f"/jobs/{job_id}").status_code == 404
    assert pages.get(f"/jobs/{job_id}/status").status_code == 404


def test_a_lot_patched_with_null_weight_is_refused_by_field(app, client, staff):
    tender = client.post("/api/v1/tenders", headers=bearer(staff), json=TENDER).get_json()
    lot_url = f"/api/v1/tenders/{tender['id']}/lots/{tender['lots'][0]['id']}"
    for name in ("w_price", "expected_hours", "title", "max_awards"):
        response = client.patch(lot_url, headers=bearer(staff), json={name: None})
        errors = assert_json_error(response, 422)
        assert errors[0]["field"] == name
    answer = client.get(f"/api/v1/tenders/{tender['id']}", headers=bearer(staff)).get_json()
    assert answer["lots"][0]["w_price"] == "0.60"
    # A lot's estimated value may be taken away: null is what it is without one.
    changed = client.patch(lot_url, headers=bearer(staff), json={"estimated_value": None})
    assert changed.status_code == 200 and changed.get_json()["estimated_value"] is None


def test_a_tender_patched_with_a_null_title_is_refused_by_field(app, client, staff):
    tender = client.post("/api/v1/tenders", headers=bearer(staff), json=TENDER).get_json()
    response = client.patch(
        f"/api/v1/tenders/{tender['id']}", headers=bearer(staff), json={"title": None}
    )
    assert assert_json_error(response, 422)[0]["field"] == "title"


def test_a_json_body_nested_100000_deep_is_refused(app, client, staff):
    raw = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    errors = assert_json_error(_post_raw(client, staff, "/api/v1/providers", raw), 400)
    assert "nested" in errors[0]["message"]


def test_a_5000_digit_json_number_is_refused(app, client, staff):
    raw = json.dumps({"name": "L", "cvr": VALID_CVRS[0]})[:-1] + ', "gln": ' + "9" * 5000 + "}"
    errors = assert_json_error(_post_raw(client, staff, "/api/v1/providers", raw), 400)
    assert "digits" in errors[0]["message"]


@pytest.mark.parametrize("amount", ["1e999999999", "-1e999999999", "1E+5", "1_000", "Infinity"])
def test_amounts_that_are_not_plain_decimals_are_refused(app, client, staff, amount):
    lot = {**TENDER["lots"][0], "estimated_value": amount}
    response = client.post("/api/v1/tenders", headers=bearer(staff), json={**TENDER, "lots": [lot]})
    errors = assert_json_error(response, 422)
    assert errors[0]["field"] == "lots.0.estimated_value"


@pytest.mark.parametrize("month", ["0000-01", "0000-12"])
def test_month_of_year_zero_is_refused_on_the_scores_api(app, client, staff, month):
    response = client.get(f"/api/v1/scores?month={month}", headers=bearer(staff))
    assert assert_json_error(response, 422)[0]["field"] == "month"


@pytest.mark.parametrize("big", [2**31, 2**63, 2**63 + 1, 10**30])
def test_ids_too_large_for_the_database_are_not_found_on_pages(app, big):
    pages = logged_in_client(app, "indkob@example.dk", "procurement")
    for path in (
        f"/procurement/contracts/{big}",
        f"/procurement/contracts/{big}/participants",
        f"/procurement/tenders/{big}",
    ):
        assert pages.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "address",
    [
        "/scores/?month=0000-01",
        "/benchmark/?from=0000-01&to=2019-01",
        "/benchmark/?from=2019-01&to=9999-12",
    ],
)
def test_a_month_outside_the_years_is_refused_on_pages(app, address):
    """Found by walking every page's links with odd values: year 0000 is no date's, and 9999-12
    has no next month; each answered 500."""
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    response = client.get(address)
    assert response.status_code == 200
    assert "Skriv måneden som ÅÅÅÅ-MM, fx 2019-01." in response.get_data(as_text=True)
    if address.startswith("/benchmark/"):  # its chart of the same range
        assert client.get(address.replace("/?", "/chart.svg?")).status_code == 404


@pytest.mark.parametrize("target", ["/home%0d%0aSet-Cookie:%20x=1", "/a%0Ab", "/a%0Db"])
def test_a_next_with_a_line_break_is_ignored_after_login(app, client, make_user, target):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    page = client.get(f"/login?next={target}")
    assert page.status_code == 200
    from tests.conftest import csrf_token

    response = client.post(
        f"/login?next={target}",
        data={
            "email": "indkob@example.dk",
            "password": "correct-horse-battery",
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]
    assert response.headers["Location"] == "/"
    assert login  # the plain login helper is the same form


@pytest.mark.parametrize("provider_id", [2**31, 2**63, 34764523748.0])
def test_an_invitation_naming_a_provider_id_too_large_for_the_database_is_refused(
    any_app, make_token, provider_id
):
    """Found by `make fuzz` (PostgreSQL's integer overflowed): refused by field, as every id."""
    staff = make_token(any_app, "indkob@example.dk", "procurement")
    response = any_app.test_client().post(
        "/api/v1/users",
        json={"email": "ny@leverandor.dk", "role": "provider", "provider_id": provider_id},
        headers=bearer(staff),
    )
    errors = assert_json_error(response, 422)
    assert [error["field"] for error in errors] == ["provider_id"]


def test_options_is_answered_as_json(app, client, staff):
    response = client.options("/api/v1/providers", headers=bearer(staff))
    assert response.mimetype == "application/json"
    assert_json_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_not_null_violation_is_a_422_naming_the_column_not_a_409(any_app):
    """The services refuse a missing value first; should one reach the database anyway, trying
    again would never help, so it is not answered as a race."""
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    from contracts.models import Provider
    from provider_portal.api.handlers import _integrity
    from provider_portal.extensions import db

    with any_app.test_request_context("/api/v1/providers", method="POST"):
        try:
            db.session.execute(sa.insert(Provider).values(name=None, cvr=VALID_CVRS[0]))
        except IntegrityError as error:
            response, status = _integrity(error)
        assert status == 422
        assert response.get_json()["errors"][0]["field"] == "name"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Provider)) == 0
