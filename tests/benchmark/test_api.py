"""The benchmark calls: export and key for procurement, imports verified and refused with 422
storing nothing; providers get 403 on all of it."""

from __future__ import annotations

import base64
import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from contracts.models import AuditEvent, BenchmarkImport
from contracts.services.benchmark.package import signed_bytes
from tests.api.conftest import bearer, count

from .attack import FIELDS, attack
from .conftest import peer_package


def _suppressed_one(package: dict) -> dict:
    """The package with one published nonzero count changed, signature kept."""
    changed = copy.deepcopy(package)
    for cell in changed["cells"]:
        for field in FIELDS:
            if cell[field]:
                cell[field] += 1
                return changed
    raise AssertionError("no count to change")


def test_export_is_signed_suppressed_and_proved(app, client, make_token, scored):
    token = make_token(app, "indkob@kk.dk", "procurement")
    answer = client.get("/api/v1/benchmark/export?from=2019-01&to=2019-06", headers=bearer(token))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    package = answer.get_json()
    assert package["format"] == "provider-portal-benchmark" and package["version"] == 1
    assert package["period"] == {"from": "2019-01", "to": "2019-06"}
    assert {c["month"] for c in package["cells"]} == {*scored, "cumulative"}
    published = [c[f] for c in package["cells"] for f in FIELDS if c[f] is not None]
    assert not [v for v in published if 0 < v < 5]
    assert all(high - low >= 5 - 1e-6 for low, high in attack(package).values())

    key = client.get("/api/v1/benchmark/key", headers=bearer(token)).get_json()
    assert key["key_id"] == package["key_id"]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(package["signature"]), signed_bytes(package))


def test_export_of_months_not_aggregated_is_refused(app, client, make_token, scored):
    token = make_token(app, "indkob@kk.dk", "procurement")
    answer = client.get("/api/v1/benchmark/export?from=2019-01&to=2019-09", headers=bearer(token))
    assert answer.status_code == 422
    assert "2019-07" in answer.get_json()["errors"][0]["message"]


def test_a_trusted_package_is_stored_and_audited(app, client, make_token, trusting):
    token = make_token(app, "indkob@kk.dk", "procurement")
    answer = client.post("/api/v1/benchmark/imports", json=peer_package(), headers=bearer(token))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["municipality"] == "Odense Kommune"
    assert count(app, BenchmarkImport) == 1
    from provider_portal.extensions import db

    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="benchmark.imported").one()
        assert event.actor_label == "indkob@kk.dk" or event.actor_id is not None


def _resigned_by_stranger(package: dict) -> dict:
    stranger = Ed25519PrivateKey.generate()
    signed = copy.deepcopy(package)
    signed["signature"] = base64.b64encode(stranger.sign(signed_bytes(signed))).decode()
    return signed


def _other_version(package: dict) -> dict:
    changed = copy.deepcopy(package)
    changed["version"] = 2
    return changed


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_suppressed_one, "signature"),
        (_resigned_by_stranger, "signature"),
        (_other_version, "version"),
    ],
)
def test_a_bad_package_is_refused_and_nothing_stored(
    app, client, make_token, trusting, spoil, words
):
    token = make_token(app, "indkob@kk.dk", "procurement")
    answer = client.post(
        "/api/v1/benchmark/imports", json=spoil(peer_package()), headers=bearer(token)
    )
    assert answer.status_code == 422
    assert words in answer.get_json()["errors"][0]["message"]
    assert count(app, BenchmarkImport) == 0


def test_a_package_from_an_unknown_key_is_refused(app, client, make_token, trusting):
    token = make_token(app, "indkob@kk.dk", "procurement")
    stranger = peer_package(key=Ed25519PrivateKey.generate())
    answer = client.post("/api/v1/benchmark/imports", json=stranger, headers=bearer(token))
    assert answer.status_code == 422
    assert "not trusted" in answer.get_json()["errors"][0]["message"]
    assert count(app, BenchmarkImport) == 0


def test_a_small_count_breaks_the_rule_even_when_signed(app, client, make_token, trusting):
    from .conftest import PEER_KEY

    package = copy.deepcopy(peer_package())
    package["cells"][0]["participants"] = 3
    package["signature"] = base64.b64encode(PEER_KEY.sign(signed_bytes(package))).decode()
    token = make_token(app, "indkob@kk.dk", "procurement")
    answer = client.post("/api/v1/benchmark/imports", json=package, headers=bearer(token))
    assert answer.status_code == 422
    assert "below its own limit" in answer.get_json()["errors"][0]["message"]
    assert count(app, BenchmarkImport) == 0


@pytest.mark.parametrize("role", ["provider", "finance"])
def test_others_are_refused(app, client, make_token, make_provider, trusting, role):
    from provider_portal.extensions import db

    provider_id = None
    if role == "provider":
        with app.app_context():
            provider_id = make_provider(db.session).id
            db.session.commit()
    token = make_token(app, f"{role}@x.dk", role, provider_id)
    calls = [
        client.get("/api/v1/benchmark/export?from=2019-01&to=2019-06", headers=bearer(token)),
        client.post("/api/v1/benchmark/imports", json=peer_package(), headers=bearer(token)),
    ]
    if role == "provider":
        calls.append(client.get("/api/v1/benchmark/key", headers=bearer(token)))
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert count(app, BenchmarkImport) == 0
