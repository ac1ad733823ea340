"""API calls on providers: register and change one (procurement), list and read them (scoped)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from contracts.models import Provider
from contracts.services import providers as register
from contracts.services.provider_changes import (
    ProviderDetails,
    ProviderRefused,
    register_provider,
    update_provider,
)

from ..errors import api_error
from ..extensions import db
from ..security import actor, viewer
from .blueprint import bp
from .declare import operation
from .types import (
    CVR_PATTERN,
    GLN_PATTERN,
    POSTCODE_PATTERN,
    CvrText,
    GlnText,
    Model,
    PostcodeText,
    written_as,
)

READERS = ("procurement", "finance", "provider")
CVR = "Danish CVR number: 8 digits, in pairs or with DK in front as people write it"
GLN = "GLN/EAN location number for e-invoices: 13 digits (empty or null for none)"
POSTCODE = "Danish postcode, 4 digits (empty for none)"
CVR_SCHEMA = {"pattern": CVR_PATTERN}
# The service refuses any other postcode, with every problem of the provider at once.
POSTCODE_SCHEMA = {"pattern": POSTCODE_PATTERN}
# An empty GLN is no GLN, as null is.
GLN_SCHEMA = {"pattern": f"^$|{GLN_PATTERN}"}


class _Identifiers(Model):
    """The CVR and GLN checks of registering and changing a provider, digit by digit."""

    @field_validator("cvr", check_fields=False)
    @classmethod
    def _cvr(cls, value: str) -> str:
        problem = register.cvr_problem(value)
        if problem:
            raise ValueError(problem.message)
        written_as(value, CVR_PATTERN, "8 digits, such as 13585628")
        return register.compact_cvr(value)

    @field_validator("gln", check_fields=False)
    @classmethod
    def _gln(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        problem = register.gln_problem(value)
        if problem:
            raise ValueError(problem.message)
        written_as(value, GLN_PATTERN, "13 digits, such as 5798009800275")
        return register.compact_gln(value)


class ProviderIn(_Identifiers):
    """A provider to register; the postal address is what its invoices print."""

    name: str = Field(min_length=1, max_length=200, examples=["Exit Aktiv ApS"])
    cvr: str = Field(description=CVR, examples=["13585628"], json_schema_extra=CVR_SCHEMA)
    gln: str | None = Field(
        default=None, description=GLN, examples=["5798009800275"], json_schema_extra=GLN_SCHEMA
    )
    street: str = Field(default="", max_length=200, examples=["Tagensvej 85"])
    postcode: str = Field(
        default="", description=POSTCODE, examples=["2200"], json_schema_extra=POSTCODE_SCHEMA
    )
    city: str = Field(default="", max_length=100, examples=["København N"])


class ProviderChange(_Identifiers):
    """What to change on a provider: only the fields sent change (a null GLN removes it; an
    empty street, postcode or city clears that part of the address)."""

    # Left out, a field keeps its value (the defaults are never stored); sent, it must be a string.
    name: str = Field(default=None, min_length=1, max_length=200)
    cvr: str = Field(default=None, description=CVR, json_schema_extra=CVR_SCHEMA)
    gln: str | None = Field(default=None, description=GLN, json_schema_extra=GLN_SCHEMA)
    street: str = Field(default=None, max_length=200)
    postcode: str = Field(default=None, description=POSTCODE, json_schema_extra=POSTCODE_SCHEMA)
    city: str = Field(default=None, max_length=100)


class ProviderOut(BaseModel):
    """A provider as the API shows it."""

    id: int
    name: str
    cvr: CvrText
    gln: GlnText | None
    street: str
    postcode: PostcodeText
    city: str

    @classmethod
    def of(cls, provider: Provider) -> ProviderOut:
        return cls(
            id=provider.id,
            name=provider.name,
            cvr=provider.cvr,
            gln=provider.gln,
            street=provider.street,
            postcode=provider.postcode,
            city=provider.city,
        )


@bp.errorhandler(ProviderRefused)
def _every_problem(error: ProviderRefused):
    # Every problem at once (the postcode and a long city name, say), so one round fixes all.
    return api_error(error.status, errors=[problem.as_json() for problem in error.problems])


@operation(
    "POST",
    "/providers",
    summary="Register a provider",
    roles=("procurement",),
    tag="providers",
    body=ProviderIn,
    response=ProviderOut,
    status=201,
    response_description="The registered provider",
    conflicts="A provider with this CVR number is registered already.",
)
def create_provider(body: ProviderIn):
    """CVR and GLN are checked digit by digit, the postcode is 4 digits; nothing is stored when
    anything is wrong."""
    details = ProviderDetails(**body.model_dump())
    return ProviderOut.of(register_provider(db.session, actor(), viewer(), details))


@operation(
    "PATCH",
    "/providers/<int:provider_id>",
    summary="Change a provider",
    roles=("procurement",),
    tag="providers",
    body=ProviderChange,
    response=ProviderOut,
    response_description="The changed provider",
    conflicts="Another provider is registered with this CVR number.",
)
def change_provider(provider_id: int, body: ProviderChange):
    """Only the fields sent change; each change is in the provider's history with old and new
    value. Invoices approved before keep the name, CVR and address they were issued with."""
    provider = register.get_provider(db.session, viewer(), provider_id)
    current = {name: getattr(provider, name) for name in ProviderDetails.__dataclass_fields__}
    details = ProviderDetails(**{**current, **body.model_dump(exclude_unset=True)})
    return ProviderOut.of(update_provider(db.session, actor(), viewer(), provider_id, details))


@operation(
    "GET",
    "/providers",
    summary="List providers",
    roles=READERS,
    tag="providers",
    response=ProviderOut,
    paged=True,
    response_description="A page of the providers you may see, by name",
)
def list_providers(page: int, per_page: int):
    """Procurement and finance see every provider; a provider user sees only its own."""
    return register.provider_page(db.session, viewer(), page, per_page).mapped(ProviderOut.of)


@operation(
    "GET",
    "/providers/<int:provider_id>",
    summary="Read a provider",
    roles=READERS,
    tag="providers",
    response=ProviderOut,
    response_description="The provider",
)
def get_provider(provider_id: int):
    """Another provider's record is answered 404, as if it did not exist."""
    return ProviderOut.of(register.get_provider(db.session, viewer(), provider_id))
