"""The portal as a SAML service provider: pysaml2's client, configured from the app's settings.

OIOSAML 3 (the profile NemLog-in speaks): the AuthnRequest goes by HTTP-Redirect signed with
RSA-SHA256, the response comes back by HTTP-POST with a signed and usually encrypted
assertion, the NameID is persistent and the level of assurance is asked for as at least
Substantial. The client is built per request from the files: the identity provider's metadata
may be replaced while the portal runs.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, url_for
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .keys import KeyPair, key_pair

# The least level of assurance an AuthnRequest asks for (NSIS, as OIOSAML 3 names it); High
# passes too ("minimum").
LOA_SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
# How far the identity provider's clock may be off ours, in seconds.
CLOCK_SKEW = 60


def sp_keys(app: Flask) -> KeyPair:
    """The portal's signing and encryption key pair, made in the instance folder when missing."""
    folder = app.config.get("SAML_SP_KEY_DIR") or Path(app.instance_path) / "saml_sp"
    return key_pair(Path(folder), "Provider Portal SAML SP")


def idp_metadata() -> Path | None:
    """The identity provider's metadata file, when single sign-on is set up."""
    path = current_app.config.get("SAML_IDP_METADATA")
    return Path(path) if path and Path(path).is_file() else None


def entity_id() -> str:
    """The portal's entity id: the setting, else its metadata's URL on this host."""
    return current_app.config.get("SAML_SP_ENTITY_ID") or url_for("saml.metadata", _external=True)


def _config(with_idp: bool) -> SPConfig:
    keys = sp_keys(current_app)
    settings = {
        "entityid": entity_id(),
        "key_file": str(keys.key_file),
        "cert_file": str(keys.cert_file),
        # One key pair signs our requests and decrypts the assertions sent to us.
        "encryption_keypairs": [{"key_file": str(keys.key_file), "cert_file": str(keys.cert_file)}],
        "allow_unknown_attributes": True,
        "accepted_time_diff": CLOCK_SKEW,
        "service": {
            "sp": {
                "name": current_app.config.get("SAML_SP_NAME") or "Provider Portal",
                "endpoints": {
                    "assertion_consumer_service": [
                        (url_for("saml.acs", _external=True), BINDING_HTTP_POST)
                    ],
                    "single_logout_service": [
                        (url_for("saml.logout", _external=True), BINDING_HTTP_REDIRECT)
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "requested_authn_context": {
                    "authn_context_class_ref": [LOA_SUBSTANTIAL],
                    "comparison": "minimum",
                },
            }
        },
    }
    metadata = idp_metadata() if with_idp else None
    if metadata is not None:
        settings["metadata"] = {"local": [str(metadata)]}
    config = SPConfig()
    config.load(settings)
    return config


def client() -> Saml2Client:
    """A client that knows the configured identity provider (call only when idp_metadata())."""
    return Saml2Client(config=_config(with_idp=True))


def metadata_xml() -> str:
    """The portal's SP metadata (not signed: the identity provider registers it by hand)."""
    descriptor = entity_descriptor(_config(with_idp=False))
    return str(descriptor)


def identity_provider(saml_client: Saml2Client, asked: str | None) -> str:
    """The identity provider to log in at: the one asked for when the metadata has it, else
    the first that is not the municipality's own (NemLog-in, for providers' staff)."""
    providers = sorted(saml_client.metadata.identity_providers())
    if not providers:
        raise ValueError("the identity provider metadata names no identity provider")
    if asked in providers:
        return asked
    staff = set(current_app.config.get("SAML_STAFF_IDPS") or ())
    return next((p for p in providers if p not in staff), providers[0])


def signing_certificates(saml_client: Saml2Client) -> list[str]:
    """The signing certificates of every identity provider in the metadata."""
    return [
        certificate
        for provider in saml_client.metadata.identity_providers()
        for _name, certificate in saml_client.metadata.certs(provider, "any", "signing")
    ]
