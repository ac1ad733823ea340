"""Single logout: the session ends here and at the identity provider (DESIGN.md §13).

- The portal's log-out button (POST /saml/logout, for a session begun by SSO) ends the session
  here, then sends the browser with a signed LogoutRequest to the identity provider, which
  answers on GET /saml/logout with a LogoutResponse.
- The identity provider may ask first (the person logged out elsewhere): a signed
  LogoutRequest on GET /saml/logout ends the session here when it is that person's, and is
  answered with a signed LogoutResponse.

Messages on the redirect binding carry their signature in the query; pysaml2 checks it only as
an identity provider, so the portal checks it here against the identity provider's metadata.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import logout_user
from saml2 import BINDING_HTTP_REDIRECT
from saml2.ident import decode
from saml2.sigver import verify_redirect_signature

from contracts.services.audit import Actor, record

from ..extensions import db
from ..security import current
from . import sp
from .views import bp, refused

SIGNED_PARTS = ("SAMLRequest", "SAMLResponse", "RelayState", "SigAlg", "Signature")


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "POST":
        return _log_out_here_and_there()
    if sp.idp_metadata() is not None and (
        request.args.get("SAMLRequest") or request.args.get("SAMLResponse")
    ):
        return _from_identity_provider()
    return render_template("auth/saml_logged_out.html", onward=None)


def _end_session(reason: str) -> None:
    user = current()
    if user is not None:
        actor = Actor(user.email, user.id, request.remote_addr)
        record(db.session, actor, "logout", "user", user.id, by=reason)
    logout_user()
    session.clear()


def _log_out_here_and_there():
    held = session.get("saml") or {}
    signed_in = current() is not None
    _end_session("user")
    onward = _logout_request(held) if signed_in else None
    if onward is None:
        return redirect(url_for("auth.login"))
    # A page that goes on to the identity provider: a form's redirect to another site would be
    # stopped by our Content-Security-Policy (form-action 'self').
    return render_template("auth/saml_logged_out.html", onward=onward)


def _logout_request(held: dict) -> str | None:
    """The URL that asks the identity provider to end its session too, when it can."""
    if not held.get("name_id") or sp.idp_metadata() is None:
        return None
    client = sp.client()
    destinations = client.metadata.single_logout_service(
        held["idp"], BINDING_HTTP_REDIRECT, "idpsso"
    )
    if not destinations:
        return None  # an identity provider without single logout
    destination = destinations[0]["location"]
    _request_id, logout_request = client.create_logout_request(
        destination,
        held["idp"],
        name_id=decode(held["name_id"]),
        session_indexes=[held["session_index"]] if held.get("session_index") else None,
        sign=False,
    )
    return _redirect_url(client, str(logout_request), destination, "", response=False)


def _redirect_url(client, message: str, destination: str, relay_state: str, response: bool):
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        message,
        destination,
        relay_state,
        response=response,
        sign=True,
        sigalg=client.signing_algorithm,
    )
    return dict(info["headers"])["Location"]


def _signed_by_identity_provider(client) -> bool:
    parts = {name: request.args[name] for name in SIGNED_PARTS if name in request.args}
    if "Signature" not in parts or "SigAlg" not in parts:
        return False
    try:
        return any(
            verify_redirect_signature(parts, client.sec.sec_backend, certificate)
            for certificate in sp.signing_certificates(client)
        )
    except Exception:  # noqa: BLE001 - an unknown algorithm, a malformed signature
        return False


def _from_identity_provider():
    client = sp.client()
    if not _signed_by_identity_provider(client):
        return refused("invalid", 400, problem="logout message without a valid signature")
    if "SAMLResponse" in request.args:
        # The answer to our LogoutRequest; the session here ended before we asked.
        return render_template("auth/saml_logged_out.html", onward=None)
    try:
        message = client.parse_logout_request(
            request.args["SAMLRequest"], BINDING_HTTP_REDIRECT
        ).message
    except Exception as error:  # noqa: BLE001 - every fault of the message is a refusal
        current_app.logger.warning("SAML logout request refused: %r", error)
        return refused("invalid", 400, problem=f"{type(error).__name__}: {error}"[:300])
    held = session.get("saml") or {}
    if held.get("name_id") and message.name_id is not None:
        if decode(held["name_id"]).text == message.name_id.text:
            _end_session("identity provider")
    # Success either way: whoever it names has no session here any more.
    response = client.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
    destination = client.response_args(message, [BINDING_HTTP_REDIRECT])["destination"]
    return redirect(
        _redirect_url(
            client, str(response), destination, request.args.get("RelayState", ""), response=True
        )
    )
