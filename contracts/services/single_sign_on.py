"""Who single sign-on lets in (DESIGN.md §13), from an assertion the edge has verified.

The edge (provider_portal.saml) checks the SAML: signature, audience, destination, the request
it answers and the validity window. What is left is the domain's: whether this assertion was
used before (a replay), whether the level of assurance is enough, and which user, if any, the
person is.

- A provider's staff come with their organisation's CVR (MitID Erhverv through NemLog-in).
  They get in only when that CVR is a registered provider's and that provider has a user who
  is this person: the user bound to this persistent UUID, or, the first time, the user with
  this e-mail address and no UUID yet, to whom the UUID is then bound. Access is granted by
  making that user (the provider's administrator or procurement does it), never by SSO alone.
- The municipality's staff come with the municipality's own CVR, or without a CVR from an
  identity provider the installation names as the municipality's (SAML_STAFF_IDPS). They are
  matched in the same way against staff users (procurement, finance, admin). An assertion
  without a CVR from any other identity provider is refused: NemLog-in's private MitID has no
  CVR, and a citizen must never match a member of staff by an e-mail address.
- A user bound to a UUID who now comes with another organisation's CVR is refused: access
  belongs to a person at one provider, and a person who changes employer is granted anew.

Every login and every refusal is an audit event with the UUID and the CVR (never a CPR number,
which OIOSAML 3 does not send to a professional login anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Provider, SamlAssertion, User, utcnow
from ..models.base import real_utcnow
from .audit import Actor, record

CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
PERSISTENT_UUID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
FULL_NAME = "https://data.gov.dk/model/core/eid/fullName"
EMAIL = "https://data.gov.dk/model/core/eid/email"
LEVEL_OF_ASSURANCE = "https://data.gov.dk/concept/core/nsis/loa"
ACCEPTED_LEVELS = ("Substantial", "High")

# Why a person was not let in; the edge shows each on a page that says whom to ask.
REPLAYED = "replayed"
LOW_ASSURANCE = "low_assurance"
INCOMPLETE = "incomplete"
UNKNOWN_ORGANISATION = "unknown_organisation"
NOT_GRANTED = "not_granted"
STAFF_NOT_GRANTED = "staff_not_granted"
DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class Identity:
    """The person an assertion vouches for, by the OIOSAML 3 attributes."""

    uuid: str | None
    cvr: str | None
    name: str
    email: str | None
    level: str | None

    @classmethod
    def from_attributes(cls, attributes: Mapping[str, Sequence[str]]) -> Identity:
        def first(name: str) -> str | None:
            values = [str(v).strip() for v in attributes.get(name) or () if str(v).strip()]
            return values[0] if values else None

        email = first(EMAIL)
        return cls(
            uuid=first(PERSISTENT_UUID),
            cvr=first(CVR),
            name=first(FULL_NAME) or "",
            email=email.lower() if email else None,
            level=first(LEVEL_OF_ASSURANCE),
        )


@dataclass(frozen=True)
class Assertion:
    """The verified assertion's own facts: its id, issuer and end of validity."""

    assertion_id: str
    issuer: str
    not_on_or_after: datetime


@dataclass(frozen=True)
class Admission:
    """The user let in, or why nobody was; `provider_name` tells a refused person whom to ask."""

    user: User | None
    refusal: str | None = None
    provider_name: str | None = None


def admit(
    session: Session,
    identity: Identity,
    assertion: Assertion,
    *,
    municipality_cvr: str,
    staff_idps: Sequence[str] = (),
    remote_addr: str | None = None,
) -> Admission:
    """Let the person in as a user, or say why not; audits either way."""
    admission = _decide(session, identity, assertion, municipality_cvr, staff_idps)
    facts = {
        "uuid": identity.uuid,
        "cvr": identity.cvr,
        "level": identity.level,
        "issuer": assertion.issuer,
    }
    user = admission.user
    if user is None:
        record(
            session,
            Actor("anonymous", None, remote_addr),
            "login.sso_refused",
            "user",
            None,
            reason=admission.refusal,
            email=(identity.email or "")[:254],
            **facts,
        )
        return admission
    if user.saml_uuid is None:
        user.saml_uuid = identity.uuid
        facts["bound"] = True
    user.last_login_at = utcnow()
    if identity.name and not user.name:
        user.name = identity.name[:200]
    record(session, Actor(user.email, user.id, remote_addr), "login.sso", "user", user.id, **facts)
    return admission


def _decide(
    session: Session,
    identity: Identity,
    assertion: Assertion,
    municipality_cvr: str,
    staff_idps: Sequence[str],
) -> Admission:
    if not remember(session, assertion):
        return Admission(None, REPLAYED)
    if identity.level not in ACCEPTED_LEVELS:
        return Admission(None, LOW_ASSURANCE)
    if not identity.uuid:
        return Admission(None, INCOMPLETE)
    if identity.cvr == municipality_cvr or (not identity.cvr and assertion.issuer in staff_idps):
        user = _granted(session, identity, User.provider_id.is_(None))
        return _active(user, STAFF_NOT_GRANTED)
    if not identity.cvr:
        return Admission(None, UNKNOWN_ORGANISATION)
    provider = session.scalar(sa.select(Provider).where(Provider.cvr == identity.cvr))
    if provider is None:
        return Admission(None, UNKNOWN_ORGANISATION)
    user = _granted(session, identity, User.provider_id == provider.id)
    admission = _active(user, NOT_GRANTED)
    return Admission(admission.user, admission.refusal, provider.name)


def _granted(session: Session, identity: Identity, of_organisation) -> User | None:
    """The organisation's user bound to this UUID, else its unbound user with this e-mail."""
    bound = session.scalar(sa.select(User).where(User.saml_uuid == identity.uuid))
    if bound is not None:
        # Bound to a person at another organisation (or at none): not this organisation's user.
        mine = session.scalar(sa.select(User.id).where(User.id == bound.id, of_organisation))
        return bound if mine is not None else None
    if not identity.email:
        return None
    return session.scalar(
        sa.select(User).where(
            of_organisation,
            sa.func.lower(User.email) == identity.email,
            User.saml_uuid.is_(None),
        )
    )


def _active(user: User | None, refusal: str) -> Admission:
    if user is None:
        return Admission(None, refusal)
    if not user.is_active:
        return Admission(None, DEACTIVATED)
    return Admission(user)


def remember(session: Session, assertion: Assertion) -> bool:
    """Note the assertion as used; False when it was used before (a replay).

    Kept until it expires, after which the edge refuses it anyway for its validity window.
    """
    now = real_utcnow()  # the assertion's validity is real time
    assertion_id = assertion.assertion_id[:200]
    session.execute(sa.delete(SamlAssertion).where(SamlAssertion.not_on_or_after < now))
    if session.get(SamlAssertion, assertion_id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                SamlAssertion(
                    assertion_id=assertion_id,
                    received_at=now,
                    not_on_or_after=assertion.not_on_or_after,
                )
            )
    except IntegrityError:
        # The same assertion posted twice at once: the other request stored it first.
        return False
    return True
