"""Provider isolation (issue 4): provider A tries every route with provider B's ids.

The routes come from the app's URL map and from the OpenAPI document, never from a list kept
here, so a route added later is tried too; a route whose id parameter has no known value of
B's fails below until one is added to `b_values`. A, logged in (pages) or with a token (API),
reads and writes with B's ids and must change nothing in the database and see nothing of B (its
name, CVR, contact, contract references, participant references). A never learns that B's
record exists: where a provider may use the route, B's record is not found (404), exactly as
one that does not exist; where no provider may use the route at all, A is refused (403).

Decisions: ids of records that belong to no provider (a tender, its lots) are SHARED: for
them only reads are tried, and only checked for B's secrets (a provider may read a published
tender). Query-string filters with B's id (`?contract_id=`, `?provider_id=`) give a list with
nothing of B in it (200); a query naming one thing of B's (`/api/v1/scores?scope=provider&id=`)
is not found (404), as the same read by path is.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from contracts.models import (
    Base,
    Bid,
    BidAttachment,
    Contract,
    ContractDocument,
    Enrolment,
    Lot,
    MilestoneClaim,
    MonthlyReport,
    Notice,
    Participant,
    Provider,
    ReportLine,
    StoredFile,
    TenderQuestion,
    User,
)
from contracts.services.accounts import create_token, create_user
from contracts.services.demo import DEMO_PASSWORD, load_demo
from contracts.services.invoicing import invoice_contract_month
from provider_portal import create_app
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, app_config, csrf_token, login

A_EMAIL = "leverandor@demo.dk"  # the demo provider user and its users' administrator
B_EMAIL = "koordinator@b.example.dk"
SHARED = {"tender_id", "lot_id"}
# Columns that a request may legitimately touch without changing anything of B's.
VOLATILE = {("api_token", "last_used_at")}


@dataclass
class World:
    """The demo data plus B's user, token and invoice; what A tries, and what must not leak."""

    app: Flask
    b_values: dict[str, object]
    secrets: list[str]
    a_token: str
    shared_values: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(sqlite_template, redis_server, tmp_path_factory) -> World:
    from provider_portal.extensions import db

    folder = tmp_path_factory.mktemp("isolation")
    shutil.copyfile(sqlite_template, folder / "portal.db")
    app = create_app(
        app_config(
            f"sqlite:///{folder / 'portal.db'}",
            redis_server,
            folder,
            RATELIMIT_STORAGE_URI="memory://",
        )
    )
    with app.app_context():
        session = db.session
        load_demo(session, app.config["PSEUDONYM_KEY"].encode())
        a_user = session.scalar(sa.select(User).where(User.email == A_EMAIL))
        # A administers its provider's users, so the users routes are tried with its rights.
        assert a_user.manages_users
        # B: another demo provider with an accepted report for December 2018, so an invoice can
        # exist too (January 2019 has not ended on the demo's day: it is not reported yet).
        b_contract = session.scalar(
            sa.select(Contract)
            .join(MonthlyReport, MonthlyReport.contract_id == Contract.id)
            .where(
                Contract.provider_id != a_user.provider_id,
                MonthlyReport.month == "2018-12",
                MonthlyReport.status == "accepted",
            )
            .order_by(Contract.id)
            .limit(1)
        )
        b = session.get(Provider, b_contract.provider_id)
        b_user = create_user(session, TEST_ACTOR, B_EMAIL, "provider", TEST_PASSWORD, b.id)
        b_token, _ = create_token(session, TEST_ACTOR, b_user, "B's system")
        _, a_token = create_token(session, TEST_ACTOR, a_user, "A's system")
        invoice = invoice_contract_month(session, b_contract.id, "2018-12")
        enrolment = session.scalar(
            sa.select(Enrolment).where(Enrolment.contract_id == b_contract.id).limit(1)
        )
        report = session.scalar(
            sa.select(MonthlyReport).where(
                MonthlyReport.contract_id == b_contract.id, MonthlyReport.month == "2018-12"
            )
        )
        participant = session.get(Participant, enrolment.participant_id)
        notice = Notice(
            contract_id=b_contract.id,
            enrolment_id=enrolment.id,
            participant_id=participant.id,
            kind="exit",
            on=enrolment.start_on,
            exit_reason="job",
        )
        session.add(notice)
        # A milestone claim of B's (DESIGN.md §15), for the claim routes.
        claim = MilestoneClaim(
            contract_id=b_contract.id,
            enrolment_id=enrolment.id,
            participant_id=participant.id,
            code="week13",
            employer_cvr="10403782",
            started_on=enrolment.start_on,
            weekly_hours=37,
            milestone_on=enrolment.start_on,
            made_on=enrolment.start_on,
            check_required=True,
        )
        session.add(claim)
        session.flush()
        line_id = session.scalar(
            sa.select(ReportLine.id).where(ReportLine.report_id == report.id).limit(1)
        )
        attachment_id, document_id = _b_files(session, b.id, b_contract.id)
        b_values = {
            "contract_id": b_contract.id,
            "month": "2018-12",
            "provider_id": b.id,
            "invoice_id": invoice.id,
            "enrolment_id": enrolment.id,
            "participant_id": participant.id,
            "participant_ref": participant.ref,
            "ref": participant.ref,
            "report_id": report.id,
            "line_id": line_id,
            "notice_id": notice.id,
            "attachment_id": attachment_id,
            "document_id": document_id,
            "question_id": _b_question(session, b.id),
            # A version of a tender document: not B's, but the route's path needs a number.
            "number": 1,
            "claim_id": claim.id,
            "report_line_id": line_id,
            "token_id": b_token.id,
            "user_id": b_user.id,
            "job_id": f"invoice-{b_contract.id}-2018-12",
            "id": b.id,
            "year": 2019,
            # An outbox mail's file (/admin/outbox/<name>): the administrator's page only.
            "name": "20190124T120000000000-0badc0de.eml",
        }
        b_refs = session.scalars(
            sa.select(Participant.ref)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .join(Contract, Enrolment.contract_id == Contract.id)
            .where(Contract.provider_id == b.id)
        )
        b_references = session.scalars(
            sa.select(Contract.reference).where(Contract.provider_id == b.id)
        )
        secrets = [
            b.name,
            b.cvr,
            B_EMAIL,
            *(x for x in (b.contact_name, b.contact_email, b.gln) if x),
            *b_references,
            *b_refs,
            *B_FILE_NAMES,
            B_QUESTION,
        ]
        tender = session.execute(sa.text("SELECT id FROM tender ORDER BY id LIMIT 1")).scalar()
        lot = session.execute(sa.text("SELECT id FROM lot ORDER BY id LIMIT 1")).scalar()
        session.commit()
    return World(app, b_values, secrets, a_token, {"tender_id": tender or 1, "lot_id": lot or 1})


# The names of B's bid file and contract document: nothing A may see says them.
B_FILE_NAMES = ("B-metodebeskrivelse-hemmelig.pdf", "B-kontrakt-underskrevet.pdf")


def _b_files(session, provider_id: int, contract_id: int) -> tuple[int, int]:
    """B's bid on the first lot with a file, and a document of B's contract: their ids."""
    lot_id = session.scalar(sa.select(Lot.id).order_by(Lot.id).limit(1))
    bid = session.scalar(sa.select(Bid).where(Bid.lot_id == lot_id, Bid.provider_id == provider_id))
    if bid is None:
        bid = Bid(
            lot_id=lot_id,
            provider_id=provider_id,
            monthly_fee=Decimal("9000"),
            hourly_rate=Decimal("45"),
            outcome_bonus=Decimal("20000"),
        )
        session.add(bid)
    files = [
        StoredFile(
            sha256="0" * 64,
            filename=name,
            media_type="application/pdf",
            size=9,
            content=b"%PDF-1.4\n",
        )
        for name in B_FILE_NAMES
    ]
    session.add_all(files)
    session.flush()
    attachment = BidAttachment(bid_id=bid.id, kind="method_description", stored_file_id=files[0].id)
    document = ContractDocument(
        contract_id=contract_id,
        document_type="contractSigned",
        title=B_FILE_NAMES[1],
        stored_file_id=files[1].id,
    )
    session.add_all([attachment, document])
    session.flush()
    return attachment.id, document.id


# B's question on the first tender: only procurement and B see it until it is published.
B_QUESTION = "Hvad koster B's hemmelige bus pr. kilometer?"


def _b_question(session, provider_id: int) -> int:
    tender_id = session.scalar(sa.select(Lot.tender_id).order_by(Lot.id).limit(1))
    question = TenderQuestion(tender_id=tender_id, provider_id=provider_id, question=B_QUESTION)
    session.add(question)
    session.flush()
    return question.id


def dump(app: Flask) -> dict[str, list]:
    """Every row of every table, in a stable order, without the columns a read may touch."""
    from provider_portal.extensions import db

    tables = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            rows = db.session.execute(
                sa.select(*columns).order_by(*table.primary_key.columns)
            ).all()
            tables[table.name] = [tuple(map(str, row)) for row in rows]
    return tables


def leaked(world: World, text: str) -> list[str]:
    return [secret for secret in world.secrets if secret and secret in text]


# The routes, enumerated.


ANY = re.compile(r"<any\(([^)]*)\):([a-z_]+)>")
GENERIC_IDS = ("scope_id", "id")


def _rule_paths(rule: str) -> list[str]:
    """`/x/<int:contract_id>/y` → `/x/{contract_id}/y`, the OpenAPI spelling; a choice of
    words (`<any(contract, provider):kind>`) gives one path per word, and a generic id after it
    (`scope_id`) is spelt `{contract_id}` or `{provider_id}` to match."""
    match = ANY.search(rule)
    if match:
        paths = []
        for word in (w.strip().strip("'\"") for w in match.group(1).split(",")):
            concrete = rule[: match.start()] + word + rule[match.end() :]
            for generic in GENERIC_IDS:
                concrete = re.sub(rf"<(?:[a-z]+:)?{generic}>", f"{{{word}_id}}", concrete)
            paths += _rule_paths(concrete)
        return paths
    # A generic id right after a word (`/contract/<int:scope_id>`) is that word's id.
    generic = "|".join(GENERIC_IDS)
    rule = re.sub(rf"/([a-z]+)/<(?:[a-z]+(?:\([^)]*\))?:)?(?:{generic})>", r"/\1/{\1_id}", rule)
    # Converters may have an underscore in their name (`<job_id:job_id>`).
    return [re.sub(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule)]


def _id_routes(app: Flask, openapi: dict) -> set[tuple[str, str]]:
    """(METHOD, path template) of every route with a path parameter: URL map ∪ OpenAPI."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.update((method, path) for path in _rule_paths(rule.rule))
    for path, operations in openapi["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete") and "{" in path:
                routes.add((method.upper(), path))
    return routes


def _allows_providers(app: Flask, method: str, url: str) -> bool:
    """Whether a provider may use the route that answers the URL at all."""
    endpoint, _arguments = app.url_map.bind("localhost").match(url, method=method)
    return "provider" in app.view_functions[endpoint].allowed_roles


def _refusal(app: Flask, method: str, url: str) -> int:
    """The one answer to A's request with B's ids: B's record is not found (404), as one that
    does not exist, unless no provider may use the route at all (403)."""
    return 404 if _allows_providers(app, method, url) else 403


def _fill(world: World, path: str) -> str:
    names = re.findall(r"{([a-z_]+)}", path)
    unknown = [n for n in names if n not in world.b_values and n not in SHARED]
    assert not unknown, f"{path}: no value of provider B's for {unknown}; add it to b_values"
    values = {**world.shared_values, **world.b_values}
    return re.sub(r"{([a-z_]+)}", lambda m: str(values[m.group(1)]), path)


def _example(schema: dict, components: dict, world: World, name: str = "", depth: int = 0):
    """A plausible value for a JSON schema, with B's ids where a field names one."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if name in world.b_values:
        return world.b_values[name]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _example(schema[key][0], components, world, name, depth)
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            key: _example(sub, components, world, key, depth + 1)
            for key, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components, world, name, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2019-08-31"
    return "B"


def _api_body(world: World, openapi: dict, method: str, path: str) -> dict | None:
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if method in ("GET", "DELETE"):
        return None
    if path.endswith("/reports/{month}"):
        return {
            "lines": [
                {
                    "participant_ref": world.b_values["participant_ref"],
                    "hours_planned": "10",
                    "hours_delivered": "10",
                    "status": "active",
                }
            ]
        }
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return {}
    return _example(schema, openapi.get("components", {}).get("schemas", {}), world)


@pytest.fixture(scope="module")
def openapi(world) -> dict:
    response = world.app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _logged_in_client(world: World):
    client = world.app.test_client()
    assert login(client, A_EMAIL, DEMO_PASSWORD).status_code == 302
    return client


def test_every_route_with_an_id_refuses_provider_a_with_bs_ids(world, openapi):
    routes = _id_routes(world.app, openapi)
    assert {
        ("PUT", "/api/v1/contracts/{contract_id}/reports/{month}"),
        ("GET", "/provider/contracts/{contract_id}/reports/{month}"),
        # A provider's administrator manages its own provider's users only.
        ("POST", "/provider/users/{user_id}/deactivate"),
        ("POST", "/api/v1/users/{user_id}/reactivate"),
    } <= routes
    client = _logged_in_client(world)
    token = csrf_token(client.get("/provider/").get_data(as_text=True))
    headers = {"Authorization": f"Bearer {world.a_token}"}
    before = dump(world.app)
    failures, tried = [], 0
    for method, path in sorted(routes):
        names = set(re.findall(r"{([a-z_]+)}", path))
        if names <= SHARED and method != "GET":
            continue  # a tender is no provider's record; see the module docstring
        url = _fill(world, path)
        if path.startswith("/api/"):
            body = _api_body(world, openapi, method, path)
            response = client.open(
                url,
                method=method,
                headers=headers,
                data=None if body is None else json.dumps(body),
                content_type=None if body is None else "application/json",
            )
            expected = _refusal(world.app, method, url)
            if response.status_code != expected and not names <= SHARED:
                failures.append(f"{method} {url}: {response.status_code}, not {expected}")
            if not response.is_json:
                failures.append(f"{method} {url}: not JSON ({response.mimetype})")
        else:
            form = {
                "csrf_token": token,
                "reason": "B",
                "lines-0-participant_ref": world.b_values["ref"],
                "lines-0-hours_planned": "1",
                "lines-0-hours_delivered": "1",
                "lines-0-status": "active",
            }
            response = client.open(url, method=method, data=None if method == "GET" else form)
            expected = _refusal(world.app, method, url)
            if response.status_code != expected and not names <= SHARED:
                failures.append(f"{method} {url}: {response.status_code}, not {expected}")
        tried += 1
        found = leaked(world, response.get_data(as_text=True))
        if found:
            failures.append(f"{method} {url} shows B's {found}")
    assert tried >= 10
    assert failures == []
    after = dump(world.app)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], f"provider A's attempts changed {changed}"


def test_list_filters_with_bs_ids_show_nothing_of_b(world, openapi):
    headers = {"Authorization": f"Bearer {world.a_token}"}
    client = world.app.test_client()
    failures = []
    for path, operations in openapi["paths"].items():
        operation = operations.get("get")
        if not operation or "{" in path:
            continue
        query = {
            p["name"]: world.b_values[p["name"]]
            for p in operation.get("parameters", [])
            if p.get("in") == "query" and p["name"] in world.b_values
        }
        if not query:
            continue
        if "scope" in {p["name"] for p in operation.get("parameters", [])}:
            query["scope"] = "provider"
        response = client.get(path, query_string=query, headers=headers)
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if "$ref" in answer:
            answer = openapi["components"]["schemas"][answer["$ref"].rsplit("/", 1)[-1]]
        if not _allows_providers(world.app, "GET", path):
            expected = 403
        elif "items" in answer.get("properties", {}):
            expected = 200  # a list, of nothing of B's
        else:
            expected = 404  # one thing of B's, as if it did not exist
        if response.status_code != expected:
            failures.append(f"GET {path}?{query}: {response.status_code}, not {expected}")
        found = leaked(world, response.get_data(as_text=True))
        if found:
            failures.append(f"GET {path}?{query} shows B's {found}")
    assert failures == []


def _listing_app() -> Flask:
    """An app built only to read its routes at collection time (no database is opened)."""
    folder = Path(__file__).resolve().parent / ".routes-only"
    return create_app(
        app_config(
            f"sqlite:///{folder}/never-opened.db",
            "redis://127.0.0.1:1/0",
            folder,
            RATELIMIT_STORAGE_URI="memory://",
        )
    )


def _routes_without_ids() -> list[str]:
    app = _listing_app()
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in ("static",)
    )


@pytest.mark.parametrize("url", _routes_without_ids())
def test_routes_without_an_id_show_provider_a_nothing_of_b(world, url):
    if url.startswith("/api/"):
        response = world.app.test_client().get(
            url, headers={"Authorization": f"Bearer {world.a_token}"}
        )
    else:
        response = _logged_in_client(world).get(url, follow_redirects=True)
    assert response.status_code < 500
    assert leaked(world, response.get_data(as_text=True)) == []
