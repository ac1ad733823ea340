"""The OCDS export, validated offline against OCDS 1.1.5 with the Lots extension, formats checked."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.bodies import PRICES, TENDER
from tests.procurement.conftest import set_clock
from tests.procurement.ocds_schema import schema_errors


def test_the_demo_export_is_valid_and_links_the_retender_to_its_predecessors(
    app, api, make_token, validator
):
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "ocds@example.dk", "procurement")
    status, package = api("GET", "/api/v1/ocds/releases", staff)
    assert status == 200
    assert schema_errors(validator, package) == []
    broken = copy.deepcopy(package)
    broken["releases"][0]["date"] = "2019-01-24"  # a date, not an RFC 3339 date-time
    assert len(schema_errors(validator, broken)) == 1
    assert package["extensions"] == [
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"
    ]
    tags = {tag for release in package["releases"] for tag in release["tag"]}
    assert {"tender", "award", "contract", "contractAmendment"} <= tags

    [retender] = [r for r in package["releases"] if "tender" in r["tag"]]
    assert [lot["description"] for lot in retender["tender"]["lots"]] == [
        "youth-bridging",
        "youth-placement",
        "adult-employment",
        "utility-work",
    ]
    # The youth-placement lot asks for milestone prices: its shares are in the award criteria.
    criteria = retender["tender"]["awardCriteriaDetails"]
    assert "evaluation price = monthly fee + expected hours × hourly rate" in criteria
    assert (
        "lot 2: expected hours 80, expected outcome rate 0.15, milestone prices: expected share "
        "0.1 still in a job or education at 13 weeks and 0.08 at 26 weeks; a milestone paid is "
        "paid back when the participant returns within 91 days"
    ) in criteria
    assert "lot 3: expected hours" in criteria and criteria.count("milestone prices:") == 1
    assert (
        retender["tender"]["contractPeriod"]["startDate"] == "2019-08-31T22:00:00Z"
    )  # 1 Sept., Copenhagen
    assert (
        retender["tender"]["tenderPeriod"]["endDate"] == "2019-03-15T11:00:00Z"
    )  # noon, Copenhagen
    prior = retender["relatedProcesses"]
    assert {p["title"] for p in prior} == {
        "SÆR-2018-01",
        "SÆR-2018-02",
        "SÆR-2018-03",
        "SÆR-2018-04",
    }
    assert all(p["relationship"] == ["prior"] and p["scheme"] == "ocid" for p in prior)
    ocids = {r["ocid"] for r in package["releases"]}
    assert {p["identifier"] for p in prior} <= ocids

    extensions = [r for r in package["releases"] if "contractAmendment" in r["tag"]]
    assert len(extensions) == 4
    for release in extensions:
        [contract] = release["contracts"]
        assert contract["period"]["endDate"] == "2019-08-31T21:59:59Z"
        assert isinstance(contract["value"]["amount"], (int, float))


def test_an_awarded_and_concluded_tender_exports_awards_with_their_lots(
    app, api, make_token, validator
):
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    provider_id = api(
        "POST", "/api/v1/providers", staff, {"name": "Nyt Spor ApS", "cvr": "13585628"}
    )[1]["id"]
    bidder = make_token(app, "b@example.dk", "provider", provider_id)
    tender = api("POST", "/api/v1/tenders", staff, TENDER)[1]
    url = f"/api/v1/tenders/{tender['id']}"
    api("POST", f"{url}/publish", staff)
    bid = api("PUT", f"{url}/lots/{tender['lots'][0]['id']}/bid", bidder, PRICES)[1]["id"]
    set_clock(app, date(2019, 3, 16))
    api(
        "POST",
        f"{url}/evaluation",
        staff,
        {"quality_points": [{"bid_id": bid, "points": "8", "reason": "God metode"}]},
    )
    api("POST", f"{url}/award", staff)
    pending = api("GET", "/api/v1/ocds/releases", staff)[1]
    assert schema_errors(validator, pending) == []
    [award] = [a for r in pending["releases"] if "award" in r["tag"] for a in r["awards"]]
    assert award["status"] == "pending" and award["relatedLots"] == ["1"]
    set_clock(app, date(2019, 3, 27))
    assert api("POST", f"{url}/conclude", staff)[0] == 200
    package = api("GET", "/api/v1/ocds/releases", staff)[1]
    assert schema_errors(validator, package) == []
    [award] = [a for r in package["releases"] if "award" in r["tag"] for a in r["awards"]]
    [contract] = [c for r in package["releases"] if "contract" in r["tag"] for c in r["contracts"]]
    assert award["status"] == "active" and contract["awardID"] == award["id"]
    assert contract["value"] == {"amount": 1000000, "currency": "DKK"}
    assert "9000" not in json.dumps(package)  # bids are never exported


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_only_staff_export_ocds(app, api, make_token, role):
    from contracts.models import Provider

    provider_id = None
    if role == "provider":
        with app.app_context():
            provider = Provider(name="L", cvr="13585628")
            db.session.add(provider)
            db.session.commit()
            provider_id = provider.id
    token = make_token(app, f"{role}@example.dk", role, provider_id)
    assert api("GET", "/api/v1/ocds/releases", token)[0] == 403


def test_procurement_downloads_the_same_export_from_the_tenders_page(
    app, api, make_token, validator, client
):
    """The button on the tenders page gives the package the API call gives a program."""
    from tests.conftest import login

    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    set_clock(app, date(2019, 1, 24))
    by_api = api("GET", "/api/v1/ocds/releases", make_token(app, "ocds@example.dk", "procurement"))
    assert login(client, "indkob@demo.dk", "demo-password").status_code == 302
    page = client.get("/procurement/tenders").get_data(as_text=True)
    assert "/procurement/tenders/ocds.json" in page
    download = client.get("/procurement/tenders/ocds.json")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="ocds-2019-01-24.json"'
    package = json.loads(download.get_data())
    assert schema_errors(validator, package) == []
    assert package["uri"] == by_api[1]["uri"]
    assert [r["ocid"] for r in package["releases"]] == [r["ocid"] for r in by_api[1]["releases"]]


def test_a_tender_s_material_and_answers_are_its_documents(app, api, make_token, validator, client):
    """tender.documents: the current version of each document (its type, media type, when it
    became public and, after a new version, when it changed) and the answers as one
    `clarifications` document, valid against OCDS 1.1.5 with the Lots extension."""
    from contracts.rules.file_checks import DOCX
    from tests.api.conftest import bearer
    from tests.files import samples
    from tests.files.conftest import World

    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    provider_id = api(
        "POST", "/api/v1/providers", staff, {"name": "Nyt Spor ApS", "cvr": "13585628"}
    )[1]["id"]
    asker = make_token(app, "b@example.dk", "provider", provider_id)
    world = World(app, client, api, staff, asker, asker, asker, staff, [provider_id])
    tender = world.tender(publish=False)
    world.upload(tender, samples.pdf(), "betingelser.pdf")
    world.upload(
        tender,
        samples.xlsx(),
        "tilbudsliste.xlsx",
        title="Tilbudsliste",
        document_type="billOfQuantity",
    )
    assert api("POST", f"/api/v1/tenders/{tender}/publish", staff)[0] == 200
    set_clock(app, date(2019, 2, 1))
    world.upload(tender, samples.docx(), "betingelser.docx", change_note="Nyt afsnit 4")
    question = api("POST", f"/api/v1/tenders/{tender}/questions", asker, {"question": "Moms?"})
    answer = {"answer": "Priser er uden moms.", "publish": True}
    url = f"/api/v1/tenders/{tender}/questions/{question[1]['id']}/answer"
    assert api("POST", url, staff, answer)[0] == 200
    package = api("GET", "/api/v1/ocds/releases", staff)[1]
    assert schema_errors(validator, package) == []
    [release] = [r for r in package["releases"] if "tender" in r["tag"]]
    documents = {d["title"]: d for d in release["tender"]["documents"]}
    conditions = documents["Udbudsbetingelser"]
    assert conditions["documentType"] == "biddingDocuments"
    assert conditions["format"] == DOCX
    assert conditions["datePublished"] == "2019-01-24T08:00:00Z"  # the publication
    assert conditions["dateModified"] == "2019-02-01T08:00:00Z"  # the new version
    assert documents["Tilbudsliste"]["documentType"] == "billOfQuantity"
    assert "dateModified" not in documents["Tilbudsliste"]
    download = client.get(conditions["url"], headers=bearer(asker))
    assert download.status_code in (302, 403)  # a page address: the provider logs in first
    clarifications = documents["Spørgsmål og svar"]
    assert clarifications["documentType"] == "clarifications"
    assert clarifications["url"].endswith(f"/procurement/tenders/{tender}#questions")
    assert "Moms?" not in json.dumps(package) and "Nyt Spor" not in json.dumps(release["tender"])
