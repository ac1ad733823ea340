"""Schemathesis against the live portal over the whole OpenAPI document, once per role.

It fails on any 5xx, an answer that does not match the document's schema or media type, and a
status the document does not list for the call. `make test` runs a bounded number of examples
per call (FUZZ_EXAMPLES, default 8); `make fuzz` runs many more (FUZZ_EXAMPLES=200).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.conftest import DEMO_ROLES

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
# A fixed seed in `make test`, so a failure is found again; `make fuzz` may set another.
SEED = os.environ.get("FUZZ_SEED", "16")
SCHEMATHESIS = Path(sys.executable).with_name("st")


# Revoking a token is tried last: the fuzzer revokes the very token it calls with.
REVOKE = ("--include-operation-id", "revoke_own_token")
ALL_BUT_REVOKE = ("--exclude-operation-id", "revoke_own_token")


def _schemathesis(live_portal, role: str, where: Path, only: tuple[str, ...]):
    command = [
        str(SCHEMATHESIS),
        "run",
        live_portal.schema_url,
        *only,
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "2",
        "--phases",
        "examples,coverage,fuzzing",
        "--header",
        f"Authorization: Bearer {live_portal.tokens[role]}",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-dir",
        str(where),
    ]
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=where,  # its example database (.hypothesis) stays out of the checkout
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert run.returncode == 0, (
        f"schemathesis as {role}:\n{run.stdout[-20000:]}\n{run.stderr[-3000:]}"
    )


@pytest.mark.postgres
@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_schemathesis_finds_nothing(live_portal, role, tmp_path):
    _schemathesis(live_portal, role, tmp_path, ALL_BUT_REVOKE)
    _schemathesis(live_portal, role, tmp_path, REVOKE)
