"""A test identity provider: pysaml2's own IdP (`saml2.server.Server`) with keys of its own.

A demo aid and the tests' counterpart, never part of a real installation: it lets anyone log in
as anyone it lists. The tests drive `TestIdP` directly; `make run` starts it as a small web
app (`python -m provider_portal.saml.test_idp`) where a newcomer picks a demo person.

It speaks OIOSAML 3 as NemLog-in does: it checks the portal's signed AuthnRequest (HTTP-Redirect,
RSA-SHA256), and answers by HTTP-POST with a signed assertion, encrypted to the portal's
certificate, carrying the OIOSAML 3 attributes.
"""

from __future__ import annotations

import argparse
import html
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from contracts.services import single_sign_on as sso
from contracts.services.demo import plan

from .keys import key_pair


@dataclass(frozen=True)
class Person:
    """Whom the test IdP vouches for, by the OIOSAML 3 attributes."""

    uuid: str
    name: str
    email: str
    cvr: str | None
    level: str = "Substantial"

    def attributes(self) -> dict[str, list[str]]:
        attributes = {
            sso.PERSISTENT_UUID: [self.uuid],
            sso.FULL_NAME: [self.name],
            sso.EMAIL: [self.email],
            sso.LEVEL_OF_ASSURANCE: [self.level],
            "https://data.gov.dk/model/core/specVersion": ["OIO-SAML-3.0"],
        }
        if self.cvr:
            attributes[sso.CVR] = [self.cvr]
        return attributes


def demo_people(municipality_cvr: str) -> list[Person]:
    """The demo's people: its provider coordinator and procurement officer, and two who are
    refused (a colleague nobody granted access, and a login at a too low level)."""
    cvr = next(p[2] for p in plan.PROVIDERS if p[0] == plan.DEMO_PROVIDER_KEY)
    coordinator = "leverandor@demo.dk"
    return [
        Person(
            "5f0a3c52-6d0e-4c47-9d1e-7b1b0c1a0001",
            plan.USER_NAMES[coordinator],
            coordinator,
            cvr,
        ),
        Person(
            "5f0a3c52-6d0e-4c47-9d1e-7b1b0c1a0002",
            plan.USER_NAMES["indkob@demo.dk"],
            "indkob@demo.dk",
            municipality_cvr,
            "High",
        ),
        Person("5f0a3c52-6d0e-4c47-9d1e-7b1b0c1a0003", "Ida Ny", "ida.ny@fodfaeste.dk", cvr),
        Person(
            "5f0a3c52-6d0e-4c47-9d1e-7b1b0c1a0004",
            plan.USER_NAMES[coordinator],
            coordinator,
            cvr,
            "Low",
        ),
    ]


class TestIdP:
    """pysaml2's IdP at `base_url`, with its keys in `key_dir` (made when missing)."""

    __test__ = False  # not a pytest class

    def __init__(self, base_url: str, key_dir: Path):
        self.base_url = base_url.rstrip("/")
        keys = key_pair(key_dir, "Provider Portal test IdP")
        self.settings = {
            "entityid": f"{self.base_url}/metadata",
            "key_file": str(keys.key_file),
            "cert_file": str(keys.cert_file),
            "accepted_time_diff": 60,
            "service": {
                "idp": {
                    "name": "Provider Portal test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.base_url}/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{self.base_url}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                    "sign_assertion": True,
                    "sign_response": False,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "policy": {"default": {"lifetime": {"minutes": 5}}},
                }
            },
        }
        self.server = self._server()

    def _server(self) -> Server:
        config = IdPConfig()
        config.load(dict(self.settings))
        return Server(config=config)

    def metadata_xml(self) -> str:
        return str(entity_descriptor(self.server.config))

    def trust(self, sp_metadata: str) -> None:
        """Know a service provider by its metadata (the one the test IdP answers)."""
        self.settings["metadata"] = {"inline": [sp_metadata]}
        self.server = self._server()

    def read_request(self, query: Mapping[str, str]):
        """The AuthnRequest of a redirect's query, its signature checked."""
        return _redirected(self.server.parse_authn_request, query)

    def answer(
        self,
        authn_request,
        person: Person,
        *,
        encrypt: bool = True,
        sign: bool = True,
        audience: str | None = None,
        destination: str | None = None,
        lifetime_minutes: int = 5,
        in_response_to: str | None = None,
    ) -> tuple[str, str]:
        """(ACS URL, base64 SAMLResponse): the signed answer to the request, vouching for person.

        The keyword arguments make the faulty answers the tests need: unsigned, for another
        audience or destination, already expired, or to another request.
        """
        sp_entity_id = authn_request.issuer.text
        policy = Policy(
            {"default": {"lifetime": {"minutes": lifetime_minutes}}}, self.server.metadata
        )
        response = self.server.create_authn_response(
            person.attributes(),
            in_response_to=in_response_to or authn_request.id,
            destination=destination or authn_request.assertion_consumer_service_url,
            sp_entity_id=audience or sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person.uuid),
            authn={
                "class_ref": f"https://data.gov.dk/concept/core/nsis/loa/{person.level}",
                "authn_auth": self.server.config.entityid,
            },
            release_policy=policy,
            sign_assertion=sign,
            sign_response=False,
            encrypt_assertion=encrypt,
            encrypt_cert_assertion=self._encryption_cert(sp_entity_id) if encrypt else None,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            authn_request.assertion_consumer_service_url,
            response=True,
        )
        return authn_request.assertion_consumer_service_url, _posted(info)["SAMLResponse"]

    def _encryption_cert(self, sp_entity_id: str) -> str:
        certs = self.server.metadata.certs(sp_entity_id, "any", "encryption")
        if not certs:
            raise ValueError(f"{sp_entity_id} has no encryption certificate in its metadata")
        return certs[0][1] if isinstance(certs[0], tuple) else certs[0]

    def logout_request(self, sp_entity_id: str, person: Person) -> str:
        """The URL that asks the service provider to end the person's session (IdP-initiated)."""
        (service,) = self.server.metadata.single_logout_service(
            sp_entity_id, BINDING_HTTP_REDIRECT, "spsso"
        )
        _request_id, logout_request = self.server.create_logout_request(
            service["location"],
            sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person.uuid),
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout_request),
            service["location"],
            "",
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(info["headers"])["Location"]

    def logout_answer(self, query: Mapping[str, str]) -> str:
        """The URL that answers a service provider's LogoutRequest (redirect binding)."""
        logout_request = _redirected(self.server.parse_logout_request, query)
        response = self.server.create_logout_response(
            logout_request, [BINDING_HTTP_REDIRECT], sign=False
        )
        destination = self.server.response_args(logout_request, [BINDING_HTTP_REDIRECT])
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination["destination"],
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(info["headers"])["Location"]


def _redirected(parse, query: Mapping[str, str]):
    """The message of an HTTP-Redirect binding's query, read by `parse` with its signature."""
    return parse(
        query["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=query.get("RelayState"),
        sigalg=query.get("SigAlg"),
        signature=query.get("Signature"),
    ).message


def _posted(info: dict) -> dict[str, str]:
    """The fields of the auto-posting form pysaml2 makes for the HTTP-POST binding."""
    from lxml import html as lxml_html

    page = info["data"] if isinstance(info["data"], str) else info["data"].decode()
    form = lxml_html.fromstring(page).forms[0]
    return dict(form.fields)


# ------------------------------------------------------------------ the demo's little web app


def web_app(idp: TestIdP, sp_metadata_url: str, people: list[Person]):
    """A WSGI app: the SSO and SLO endpoints, metadata, and a page to pick a demo person."""
    from flask import Flask, Response, redirect, request

    app = Flask(__name__)

    def ensure_trust() -> None:
        # The portal may start after us: fetch its metadata at the first login.
        if not getattr(app, "trusted", False):
            with urllib.request.urlopen(sp_metadata_url, timeout=10) as answer:  # noqa: S310  # nosec B310 # the portal's own http(s) URL
                idp.trust(answer.read().decode("utf-8"))
            app.trusted = True

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.get("/metadata")
    def metadata():
        return Response(idp.metadata_xml(), mimetype="application/samlmetadata+xml")

    @app.get("/sso")
    def sso_page():
        ensure_trust()
        authn_request = idp.read_request(request.args)
        choices = "".join(
            f'<li><button name="person" value="{i}">{html.escape(p.name)} · {html.escape(p.email)}'
            f" · CVR {html.escape(p.cvr or '-')} · sikringsniveau {p.level}</button></li>"
            for i, p in enumerate(people)
        )
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
            for k, v in request.args.items()
        )
        del authn_request  # read to check it now; answered when a person is picked
        return _page(
            "Test-IdP: vælg en demoperson",
            "<p><strong>Kun til demo og test.</strong> Denne identitetsudbyder lader enhver "
            "logge ind som en af personerne nedenfor. Den er ikke MitID og hører ikke til en "
            "rigtig installation.</p>"
            f'<form method="post" action="/sso"><ul>{choices}</ul>{hidden}</form>',
        )

    @app.post("/sso")
    def answer_page():
        ensure_trust()
        authn_request = idp.read_request(request.form)
        person = people[int(request.form["person"])]
        acs, saml_response = idp.answer(authn_request, person)
        return _page(
            "Test-IdP: videre til portalen",
            f'<form method="post" action="{html.escape(acs)}" id="answer">'
            f'<input type="hidden" name="SAMLResponse" value="{saml_response}">'
            '<button type="submit">Fortsæt til portalen</button></form>'
            "<script>document.getElementById('answer').submit()</script>",
        )

    @app.get("/slo")
    def logout():
        ensure_trust()
        return redirect(idp.logout_answer(request.args))

    return app


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>{title}</title>'
        "</head><body><h1>" + title + "</h1>" + body + "</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--sp-metadata-url", required=True)
    parser.add_argument("--key-dir", type=Path, required=True)
    parser.add_argument("--metadata-out", type=Path, required=True)
    parser.add_argument("--municipality-cvr", default="64942212")
    arguments = parser.parse_args()
    idp = TestIdP(f"http://127.0.0.1:{arguments.port}", arguments.key_dir)
    arguments.metadata_out.write_text(idp.metadata_xml(), encoding="utf-8")
    app = web_app(idp, arguments.sp_metadata_url, demo_people(arguments.municipality_cvr))
    app.run(host="127.0.0.1", port=arguments.port)


if __name__ == "__main__":
    main()
