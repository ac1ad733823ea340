"""Benchmark packages (DESIGN.md §12): export the municipality's package, give its public key,
import a peer's. Procurement exports and imports; the key is for procurement and the
administrator to hand to peers; providers get 403 on all of it."""

from __future__ import annotations

import base64

from flask import Response, json, request
from pydantic import BaseModel, Field

from contracts.services.benchmark import imports

from .. import benchmark
from ..converters import MONTH_PATTERN
from ..errors import api_error
from ..extensions import db
from ..security import actor
from .declare import operation
from .types import Model

MONTH = MONTH_PATTERN


class ExportQuery(Model):
    """The period: its first and last month, YYYY-MM."""

    from_: str = Field(alias="from", pattern=MONTH, examples=["2019-01"])
    to: str = Field(pattern=MONTH, examples=["2019-12"])


class KeyOut(BaseModel):
    key_id: str
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64")


class ImportOut(BaseModel):
    id: int
    municipality: str
    period_from: str
    period_to: str


@operation(
    "GET",
    "/benchmark/export",
    summary="The municipality's signed benchmark package for a period",
    roles=benchmark.EXPORTERS,
    tag="benchmark",
    query=ExportQuery,
    response=None,
    response_description="The package (DESIGN.md §12), small counts suppressed, signed",
)
def export_benchmark(query: ExportQuery):
    """Counts per programme and "all", per month and cumulated up to the last month, with
    every count from 1 to min_cell - 1 suppressed and more as it takes; refused (422) for a
    month not yet aggregated or figures that cannot be protected."""
    package = benchmark.export(query.from_, query.to)
    body = json.dumps(package, ensure_ascii=False, sort_keys=True)
    name = f"benchmark-{query.from_}-{query.to}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@operation(
    "GET",
    "/benchmark/key",
    summary="The public key benchmark packages are signed with",
    roles=benchmark.KEY_READERS,
    tag="benchmark",
    response=KeyOut,
    response_description="The key's id and the raw public key, base64",
)
def benchmark_key():
    """Give it to the peers, who add `key_id name public_key` to their trusted keys."""
    key_id, raw = benchmark.public_key()
    return KeyOut(key_id=key_id, public_key=base64.b64encode(raw).decode("ascii"))


@operation(
    "POST",
    "/benchmark/imports",
    summary="Import a peer municipality's benchmark package",
    roles=benchmark.EXPORTERS,
    tag="benchmark",
    status=201,
    response=ImportOut,
    response_description="The stored package",
    raw_body={"application/json": {"schema": {"type": "object"}}},
    extra_errors=(400, 415, 422),
)
def import_benchmark():
    """Verified against the trusted keys: another format or version, an unknown key, a bad
    signature or a count below the package's limit is refused with 422 and nothing stored."""
    data = request.get_json(silent=True)
    if data is None:
        answer, status = api_error(400, "Send the package as a JSON object.")
        answer.status_code = status
        return answer
    stored = imports.import_package(
        db.session, actor(), data, benchmark.trusted_keys(), benchmark.min_cell()
    )
    return ImportOut(
        id=stored.id,
        municipality=stored.municipality,
        period_from=stored.period_from,
        period_to=stored.period_to,
    )
