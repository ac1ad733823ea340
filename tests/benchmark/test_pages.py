"""The benchmark pages: procurement imports a peer's package and reads the comparison with its
chart; a refused package says why in Danish and stores nothing; providers get 403."""

from __future__ import annotations

import io
import json

from contracts.models import BenchmarkImport
from tests.api.conftest import count
from tests.conftest import csrf_token, login

from .conftest import peer_package


def _procurement(app, client, make_user):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "indkob@kk.dk", "procurement")
        db.session.commit()
    login(client, "indkob@kk.dk")
    return client


def _upload(client, package: dict):
    page = client.get("/benchmark/import")
    body = json.dumps(package).encode()
    return client.post(
        "/benchmark/import",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "package": (io.BytesIO(body), "odense.json"),
        },
        content_type="multipart/form-data",
    )


def test_import_and_compare(app, client, make_user, trusting, scored):
    _procurement(app, client, make_user)
    answer = _upload(client, peer_package())
    assert answer.status_code == 200
    assert "Odense Kommune" in answer.get_data(as_text=True), answer.get_data(as_text=True)[-3000:]
    page = client.get("/benchmark/?from=2019-01&to=2019-06").get_data(as_text=True)
    assert "Sammenlign kommuner" in page
    assert "Odense Kommune" in page and "Københavns Kommune" in page, page[page.find("<main") :][
        :2500
    ]
    assert "&lt;5" in page
    chart = client.get("/benchmark/chart.svg?from=2019-01&to=2019-06&programme=all")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert "Odense Kommune" in chart.get_data(as_text=True)


def test_a_changed_package_is_refused_in_danish(app, client, make_user, trusting):
    _procurement(app, client, make_user)
    package = peer_package()
    package["cells"][0]["participants"] = (package["cells"][0]["participants"] or 0) + 7
    answer = _upload(client, package)
    assert answer.status_code == 422
    assert "signatur" in answer.get_data(as_text=True)
    assert count(app, BenchmarkImport) == 0


def test_providers_see_none_of_it(app, client, make_user, make_provider):
    from provider_portal.extensions import db

    with app.app_context():
        provider = make_provider(db.session)
        make_user(db.session, "lev@x.dk", "provider", provider.id)
        db.session.commit()
    login(client, "lev@x.dk")
    for url in ("/benchmark/", "/benchmark/export", "/benchmark/import", "/benchmark/chart.svg"):
        assert client.get(url).status_code == 403, url
