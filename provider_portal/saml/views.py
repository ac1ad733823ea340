"""Single sign-on by SAML 2.0 in the OIOSAML 3 profile (DESIGN.md §13).

GET /saml/metadata answers on every installation; /saml/login, /saml/acs and /saml/logout (in
.logout) need the identity provider's metadata (SAML_IDP_METADATA). pysaml2 checks the response:
the assertion's signature by the identity provider's certificate, its decryption with our key,
the audience (our entity id), the destination (our ACS), InResponseTo against the request we
sent, and the validity window. contracts.services.single_sign_on then decides who gets in.
Refused responses count against the login page's limit per address, as wrong passwords do.

The request we sent is remembered in a cookie of its own rather than in the session: the
identity provider posts the response from its own site, and a browser sends the session's
SameSite=Lax cookie with no cross-site POST. That cookie is signed, lives 15 minutes and is
SameSite=None (Secure) over HTTPS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.ident import code
from saml2.saml import NameID

from contracts.services import single_sign_on as sso
from contracts.services.audit import Actor, record

from .. import sessions
from ..extensions import csrf, db, limiter
from ..logins import address_limit, login_failed, safe_next
from . import sp

bp = Blueprint("saml", __name__, url_prefix="/saml")

REQUEST_COOKIE = "saml_request"
REQUEST_MAX_AGE = 15 * 60


@bp.record_once
def _make_keys(state) -> None:
    # On first start, so /saml/metadata answers on any installation.
    sp.sp_keys(state.app)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="saml-request")


@bp.get("/metadata")
def metadata():
    return current_app.response_class(sp.metadata_xml(), mimetype="application/samlmetadata+xml")


@bp.get("/login")
def login():
    if sp.idp_metadata() is None:
        return render_template("auth/saml_not_configured.html"), 200
    client = sp.client()
    request_id, info = client.prepare_for_authenticate(
        entityid=sp.identity_provider(client, request.args.get("idp")),
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=client.signing_algorithm,
        digest_alg=client.digest_algorithm,
    )
    location = dict(info["headers"])["Location"]
    response = redirect(location)
    remembered = {"id": request_id, "next": safe_next(request.args.get("next"))}
    response.set_cookie(
        REQUEST_COOKIE,
        _serializer().dumps(remembered),
        max_age=REQUEST_MAX_AGE,
        path=url_for("saml.acs"),
        httponly=True,
        secure=request.is_secure,
        samesite="None" if request.is_secure else "Lax",
    )
    return response


def _outstanding() -> dict:
    try:
        return _serializer().loads(request.cookies.get(REQUEST_COOKIE, ""), max_age=REQUEST_MAX_AGE)
    except BadSignature:
        return {}


def refused(reason: str, status: int = 403, provider_name: str | None = None, **details):
    if details:  # refused here at the edge; the domain audits its own refusals
        record(
            db.session,
            Actor("anonymous", None, request.remote_addr),
            "login.sso_refused",
            "user",
            None,
            reason=reason,
            **details,
        )
    page = render_template("auth/saml_refused.html", reason=reason, provider_name=provider_name)
    response = current_app.make_response((page, status))
    response.delete_cookie(REQUEST_COOKIE, path=url_for("saml.acs"))
    return response


def _acs_key() -> str:
    return "saml-acs-address:" + (request.remote_addr or "")


@bp.post("/acs")
@csrf.exempt
@limiter.limit(address_limit, key_func=_acs_key, deduct_when=login_failed)
def acs():
    if sp.idp_metadata() is None:
        return render_template("auth/saml_not_configured.html"), 404
    outstanding = _outstanding()
    client = sp.client()
    try:
        answer = client.parse_authn_request_response(
            request.form.get("SAMLResponse", ""),
            BINDING_HTTP_POST,
            outstanding={outstanding["id"]: outstanding.get("next") or "/"} if outstanding else {},
        )
        if answer is None or answer.assertion is None:
            raise ValueError("no assertion")
        info = answer.session_info()
    except Exception as error:  # noqa: BLE001 - every fault of the message is a refusal
        current_app.logger.warning("SAML response refused: %r", error)
        return refused("invalid", 400, problem=f"{type(error).__name__}: {error}"[:300])
    identity = sso.Identity.from_attributes(_attributes(answer.assertion))
    assertion = sso.Assertion(
        assertion_id=answer.assertion.id,
        issuer=info["issuer"],
        not_on_or_after=_until(answer),
    )
    admission = sso.admit(
        db.session,
        identity,
        assertion,
        municipality_cvr=current_app.config["MUNICIPALITY_CVR"],
        staff_idps=current_app.config.get("SAML_STAFF_IDPS") or (),
        remote_addr=request.remote_addr,
    )
    if admission.user is None:
        return refused(admission.refusal, provider_name=admission.provider_name)
    sessions.begin(admission.user)
    session["saml"] = {
        "idp": info["issuer"],
        "name_id": code(info["name_id"]) if isinstance(info["name_id"], NameID) else None,
        "session_index": info.get("session_index"),
    }
    response = redirect(safe_next(outstanding.get("next")) or url_for("home.index"))
    response.delete_cookie(REQUEST_COOKIE, path=url_for("saml.acs"))
    return response


def _attributes(assertion) -> dict[str, list[str]]:
    """The assertion's attributes by their full names (OIOSAML 3 names them by URI)."""
    attributes: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            values = [value.text or "" for value in attribute.attribute_value]
            attributes.setdefault(attribute.name, []).extend(values)
    return attributes


def _until(answer) -> datetime:
    """Until when the assertion could be presented: a replay is watched for that long."""
    seconds = answer.not_on_or_after or 0
    if seconds:
        return datetime.fromtimestamp(seconds, UTC)
    return datetime.now(UTC) + timedelta(hours=12)


# The logout routes live beside; imported last, as they register on this blueprint.
from . import logout  # noqa: E402, F401
