"""The procurement entry pages: providers, a new tender, a contract entered directly, and the
audit history on the record's page, driven through the real forms with their CSRF tokens."""

from __future__ import annotations

import html
from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Lot, Provider, Tender
from provider_portal.extensions import db
from tests.bodies import contract_form
from tests.conftest import VALID_CVRS, csrf_token, login
from tests.procurement.conftest import set_clock

STAFF = "indkob@example.dk"
PROVIDER_USER = "leverandor@example.dk"
# A valid CVR (13585628) with its last digit changed, so the modulus-11 check fails.
BAD_CHECK_CVR = "13585629"


@pytest.fixture
def world(app, make_provider, make_user):
    """A procurement user, a provider with its own user, and the clock on 24 January 2019."""
    with app.app_context():
        provider = make_provider(db.session, name="Nyt Fodfæste A/S", cvr=VALID_CVRS[0])
        make_user(db.session, STAFF, "procurement")
        make_user(db.session, PROVIDER_USER, "provider", provider.id)
        db.session.commit()
        provider_id = provider.id
    set_clock(app, date(2019, 1, 24))
    return {"provider_id": provider_id}


@pytest.fixture
def staff(client, world):
    assert login(client, STAFF).status_code == 302
    return client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _post(client, url: str, data: dict):
    """Post a form the way a browser does: the page's own CSRF token included."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


# --- providers ---

PROVIDER = {
    "name": "Kursskifte ApS",
    "cvr": "29403473",
    "gln": "5790001234560",
    "contact_name": "Rikke Vestergaard",
    "contact_email": "rikke@kursskifte.dk",
}


def test_procurement_registers_a_provider_and_sees_it_listed_with_its_history(app, staff):
    response = _post(staff, "/procurement/providers/new", {**PROVIDER, "cvr": "DK 2940 3473"})
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.scalars(
            sa.select(Provider).where(Provider.name == "Kursskifte ApS")
        ).one()
        assert (provider.cvr, provider.gln, provider.contact_name, provider.contact_email) == (
            "29403473",
            "5790001234560",
            "Rikke Vestergaard",
            "rikke@kursskifte.dk",
        )
        provider_id = provider.id
    assert response.headers["Location"].endswith(f"/procurement/providers/{provider_id}")
    listing = _text(staff.get("/procurement/providers"))
    assert "Kursskifte ApS" in listing and "29403473" in listing
    page = _text(staff.get(f"/procurement/providers/{provider_id}"))
    assert "Historik" in page and "Leverandør registreret" in page and STAFF in page
    assert "Kontaktperson: – → Rikke Vestergaard" in page


@pytest.mark.parametrize(
    "cvr, words",
    [
        (BAD_CHECK_CVR, "13585629 er ikke et CVR-nummer: kontrolcifferet passer ikke"),
        ("1358562", "Et CVR-nummer har 8 cifre; “1358562” har 7."),
        ("1358562X", "Et CVR-nummer består kun af cifre"),
        ("03585628", "Et CVR-nummer begynder aldrig med 0."),
    ],
)
def test_a_wrong_cvr_is_refused_in_danish_next_to_the_field_and_nothing_is_stored(
    app, staff, cvr, words
):
    before = _count(app, Provider)
    response = _post(staff, "/procurement/providers/new", {**PROVIDER, "cvr": cvr})
    assert response.status_code == 422
    page = _text(response)
    assert words in page
    assert 'id="cvr-error"' in page
    assert _count(app, Provider) == before
    assert _events(app, "provider.created") == []


@pytest.mark.parametrize(
    "gln, words",
    [
        ("5790001234561", "er ikke et GLN/EAN-nummer: det sidste ciffer er ikke kontrolcifferet"),
        ("579000123456", "Et GLN/EAN-nummer har 13 cifre; “579000123456” har 12."),
    ],
)
def test_a_wrong_gln_is_refused_in_danish(app, staff, gln, words):
    response = _post(staff, "/procurement/providers/new", {**PROVIDER, "gln": gln})
    assert response.status_code == 422
    assert words in _text(response)
    assert _count(app, Provider) == 1


def test_a_cvr_registered_already_is_refused_with_409(app, staff, world):
    response = _post(staff, "/procurement/providers/new", {**PROVIDER, "cvr": VALID_CVRS[0]})
    assert response.status_code == 409
    assert (
        f"En leverandør med CVR {VALID_CVRS[0]} er allerede registreret: Nyt Fodfæste A/S."
        in _text(response)
    )
    assert _count(app, Provider) == 1


def test_procurement_edits_a_provider_and_the_history_shows_old_and_new(app, staff, world):
    url = f"/procurement/providers/{world['provider_id']}/edit"
    form = _text(staff.get(url))
    assert 'value="Nyt Fodfæste A/S"' in form
    response = _post(
        staff,
        url,
        {
            "name": "Nyt Fodfæste ApS",
            "cvr": VALID_CVRS[0],
            "gln": "",
            "contact_name": "Jonas Holm",
            "contact_email": "jonas@fodfaeste.dk",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Provider, world["provider_id"]).name == "Nyt Fodfæste ApS"
    [event] = _events(app, "provider.updated")
    assert event.details["changes"]["name"] == ["Nyt Fodfæste A/S", "Nyt Fodfæste ApS"]
    page = _text(staff.get(f"/procurement/providers/{world['provider_id']}"))
    assert "Leverandør ændret" in page and "Navn: Nyt Fodfæste A/S → Nyt Fodfæste ApS" in page


def test_an_edit_to_another_providers_cvr_is_refused_with_409_and_changes_nothing(
    app, staff, world, make_provider
):
    with app.app_context():
        other_id = make_provider(db.session, name="Bro til Uddannelse ApS", cvr=VALID_CVRS[1]).id
        db.session.commit()
    url = f"/procurement/providers/{world['provider_id']}/edit"
    response = _post(staff, url, {"name": "Omdøbt", "cvr": VALID_CVRS[1]})
    assert response.status_code == 409
    assert "Bro til Uddannelse ApS" in _text(response)
    with app.app_context():
        assert db.session.get(Provider, world["provider_id"]).name == "Nyt Fodfæste A/S"
        assert db.session.get(Provider, other_id).cvr == VALID_CVRS[1]
    assert _events(app, "provider.updated") == []
    refused = _post(staff, url, {"name": "Omdøbt", "cvr": BAD_CHECK_CVR})
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(Provider, world["provider_id"]).name == "Nyt Fodfæste A/S"


def test_the_provider_page_lists_its_contracts(app, staff, world):
    _post(staff, "/procurement/contracts/new", _contract(world))
    page = _text(staff.get(f"/procurement/providers/{world['provider_id']}"))
    assert "SÆR-2018-03" in page


# --- a new tender ---


def _tender(**changes) -> dict:
    """A tender with two of the four programmes ticked (adult-employment and utility-work)."""
    data = {
        "title": "Særindsats 2020",
        "procedure": "open",
        "contract_kind": "special_effort",
        "deadline": "2019-03-15T12:00",
        "contract_start_on": "2019-09-01",
        "contract_end_on": "2021-08-31",
        "contract_max_end_on": "2022-08-31",
    }
    codes = ["youth-bridging", "youth-placement", "adult-employment", "utility-work"]
    for n, code in enumerate(codes):
        data.update(
            {
                f"lots-{n}-programme": code,
                f"lots-{n}-expected_hours": "80",
                f"lots-{n}-expected_outcome_rate": "15",
                f"lots-{n}-w_price": "0,6",
                f"lots-{n}-w_quality": "0,4",
                f"lots-{n}-estimated_value": "3000000",
                f"lots-{n}-max_awards": "1",
            }
        )
    data["lots-2-chosen"] = "y"
    data["lots-3-chosen"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_procurement_creates_a_tender_with_one_lot_per_chosen_programme(app, staff):
    page = _text(staff.get("/procurement/tenders/new"))
    assert "Forventet resultatrate (%)" in page and 'name="lots-3-programme"' in page
    response = _post(
        staff, "/procurement/tenders/new", _tender(**{"lots-3-expected_outcome_rate": "12,5"})
    )
    assert response.status_code == 302
    with app.app_context():
        tender = db.session.scalars(sa.select(Tender)).one()
        assert (tender.title, tender.status, tender.contract_start_on) == (
            "Særindsats 2020",
            "draft",
            date(2019, 9, 1),
        )
        # 12:00 in Copenhagen in March (winter time) is 11:00 UTC.
        assert tender.deadline_at.astimezone().utcoffset() is not None
        assert tender.deadline_at.isoformat().startswith("2019-03-15T11:00")
        lots = db.session.scalars(sa.select(Lot).order_by(Lot.number)).all()
        assert [lot.programme.code for lot in lots] == ["adult-employment", "utility-work"]
        assert [str(lot.expected_outcome_rate) for lot in lots] == ["0.1500", "0.1250"] or [
            float(lot.expected_outcome_rate) for lot in lots
        ] == [0.15, 0.125]
        assert lots[0].w_price + lots[0].w_quality == 1
        tender_id = tender.id
    detail = _text(staff.get(f"/procurement/tenders/{tender_id}"))
    assert "Historik" in detail and "Udbud oprettet som kladde" in detail


@pytest.mark.parametrize(
    "changes, words, status",
    [
        (
            {"lots-2-w_price": "0,5"},
            "Vægtene for pris og kvalitet skal tilsammen give 1 (0,5 + 0,4 = 0,9).",
            422,
        ),
        (
            {"deadline": "2019-01-20T12:00"},
            "Fristen er overskredet; sæt en frist i fremtiden.",
            422,
        ),
        ({"deadline": "2019-01-24T08:59"}, "Fristen er overskredet", 422),
        (
            {"contract_end_on": "2019-08-31"},
            "Aftalerne kan ikke slutte (31-08-2019) før de starter (01-09-2019).",
            422,
        ),
        ({"lots-2-chosen": None, "lots-3-chosen": None}, "Vælg mindst én indsats", 422),
        ({"title": ""}, "Giv udbuddet en titel.", 422),
        ({"lots-2-w_quality": "abc"}, 'id="lots-2-w_quality-error"', 422),
    ],
)
def test_a_tender_with_a_problem_is_refused_and_nothing_is_stored(
    app, staff, changes, words, status
):
    response = _post(staff, "/procurement/tenders/new", _tender(**changes))
    assert response.status_code == status
    assert words in _text(response)
    assert _count(app, Tender) == 0 and _count(app, Lot) == 0
    assert _events(app, "tender.created") == []


def test_an_unticked_programme_with_blank_fields_is_not_checked(app, staff):
    response = _post(
        staff,
        "/procurement/tenders/new",
        _tender(**{"lots-0-w_price": "", "lots-0-max_awards": ""}),
    )
    assert response.status_code == 302
    assert _count(app, Lot) == 2


# --- a contract entered directly ---


def _contract(world, **changes) -> dict:
    return contract_form(world["provider_id"], **changes)


def test_procurement_enters_a_2018_agreement_and_sees_it_with_its_history(app, staff, world):
    response = _post(staff, "/procurement/contracts/new", _contract(world))
    assert response.status_code == 302
    with app.app_context():
        contract = db.session.scalars(sa.select(Contract)).one()
        assert (contract.reference, str(contract.monthly_fee), contract.max_end_on) == (
            "SÆR-2018-03",
            "9500.00",
            date(2019, 8, 31),
        )
        assert contract.vat_rate * 100 == 25
        contract_id = contract.id
    page = _text(staff.get(f"/procurement/contracts/{contract_id}"))
    assert "Aftalen SÆR-2018-03 er oprettet." in page
    assert "Historik" in page and "Aftale oprettet" in page and "Slutdato: 31-03-2019" in page


def test_a_successor_with_a_gap_is_saved_and_the_gap_is_warned_of(app, staff, world):
    _post(staff, "/procurement/contracts/new", _contract(world))
    with app.app_context():
        old_id = db.session.scalars(sa.select(Contract.id)).one()
    response = _post(
        staff,
        "/procurement/contracts/new",
        _contract(
            world,
            reference="SÆR-2019-03",
            start_on="2019-04-10",
            end_on="2021-03-31",
            max_end_on="",
            predecessor_id=str(old_id),
        ),
    )
    assert response.status_code == 302
    page = _text(staff.get(response.headers["Location"]))
    assert (
        "9 dag(e) uden aftale mellem SÆR-2018-03, som slutter 31-03-2019, og starten 10-04-2019."
        in page
    )
    with app.app_context():
        new = db.session.scalars(
            sa.select(Contract).where(Contract.reference == "SÆR-2019-03")
        ).one()
        assert new.predecessor_id == old_id and new.max_end_on == date(2021, 3, 31)


@pytest.mark.parametrize(
    "changes, words",
    [
        (
            {"end_on": "2018-02-28"},
            "Aftalen kan ikke slutte (28-02-2018) før den starter (01-03-2018).",
        ),
        (
            {"max_end_on": "2019-01-31"},
            "Forlængelsesoptionen (31-01-2019) kan ikke slutte før aftalen slutter",
        ),
        ({"monthly_fee": "-1"}, "Må ikke være negativt."),
        ({"start_on": ""}, "Angiv startdatoen."),
    ],
)
def test_a_contract_with_a_problem_is_refused_and_nothing_is_stored(
    app, staff, world, changes, words
):
    response = _post(staff, "/procurement/contracts/new", _contract(world, **changes))
    assert response.status_code == 422
    assert words in _text(response)
    assert _count(app, Contract) == 0
    assert _events(app, "contract.created") == []


def test_a_taken_contract_reference_is_refused(app, staff, world):
    assert _post(staff, "/procurement/contracts/new", _contract(world)).status_code == 302
    response = _post(staff, "/procurement/contracts/new", _contract(world))
    assert response.status_code == 422
    assert "Referencen SÆR-2018-03 er allerede brugt af en anden aftale." in _text(response)
    assert _count(app, Contract) == 1


# --- CSRF and who may ---

FORMS = ["/procurement/providers/new", "/procurement/tenders/new", "/procurement/contracts/new"]


@pytest.mark.parametrize("url", FORMS + ["/procurement/providers/{provider_id}/edit"])
def test_every_form_needs_its_csrf_token(app, staff, world, url):
    url = url.format(**world)
    data = {**PROVIDER, **_tender(), **_contract(world), "name": "Uden token ApS"}
    response = staff.post(url, data=data)
    assert response.status_code == 400
    assert (_count(app, Provider), _count(app, Tender), _count(app, Contract)) == (1, 0, 0)
    with app.app_context():
        assert db.session.get(Provider, world["provider_id"]).name == "Nyt Fodfæste A/S"


def test_a_provider_user_may_open_or_post_none_of_them(app, client, world):
    assert login(client, PROVIDER_USER).status_code == 302
    own = world["provider_id"]
    urls = FORMS + [
        "/procurement/providers",
        f"/procurement/providers/{own}",
        f"/procurement/providers/{own}/edit",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    # A token from a page the provider may open, so the refusal is the role's, not the CSRF check's.
    token = csrf_token(client.get("/provider/").get_data(as_text=True))
    data = {"csrf_token": token, **PROVIDER, **_tender(), **_contract(world), "name": "Kapret ApS"}
    for url in FORMS + [f"/procurement/providers/{own}/edit"]:
        assert client.post(url, data=data).status_code == 403, url
    assert (_count(app, Provider), _count(app, Tender), _count(app, Contract)) == (1, 0, 0)
    with app.app_context():
        assert db.session.get(Provider, own).name == "Nyt Fodfæste A/S"
