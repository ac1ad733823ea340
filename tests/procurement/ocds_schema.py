"""The OCDS 1.1.5 release package schema with the Lots extension, read offline from
tests/data/ocds, as a validator fixture that also checks formats, and its errors listed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "ocds"


def _merge(base: dict, patch: dict) -> dict:
    """RFC 7386 JSON Merge Patch: objects merge, null deletes, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    release = json.loads((SCHEMAS / "release-schema.json").read_text("utf-8"))
    patch = json.loads((SCHEMAS / "lots" / "release-schema.json").read_text("utf-8"))
    merged = _merge(release, patch)
    merged["id"] = release["id"]
    # Defined by the separate Submission terms extension, which the export does not use.
    merged["definitions"].setdefault("SubmissionTerms", {"type": "object"})
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text("utf-8"))
    registry = Registry().with_resources(
        [
            (merged["id"], Resource(merged, specification=DRAFT4)),
            (package["id"], Resource(package, specification=DRAFT4)),
        ]
    )
    checker = Draft4Validator.FORMAT_CHECKER
    # Without rfc3339-validator jsonschema silently skips date-time; make sure it checks.
    assert not checker.conforms("2019-03-15 12:00", "date-time")
    return Draft4Validator(package, registry=registry, format_checker=checker)


def schema_errors(validator, package) -> list[str]:
    """Each way the package breaks the schema, as `path: message`."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(package)
    ]
