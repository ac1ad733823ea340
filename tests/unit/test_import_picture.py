"""The import picture: each layer imports only from below it.

`contracts/` (the domain) knows neither Flask nor the portal. In `provider_portal/`, the shared
modules (extensions, security, clock, formatting, downloads, ...) sit at the bottom, the jobs
above them, and the blueprints on top; a blueprint never imports another blueprint (what two
share moves down), the jobs never import the app factory or a blueprint, and only the factory
and the command-line module, which assemble the app, reach into the blueprints.
"""

from __future__ import annotations

import re

from tests.unit.import_graph import ROOT, imports, module_name

BLUEPRINTS = {
    "auth",
    "home",
    "procurement",
    "provider",
    "finance",
    "admin",
    "scores",
    "job_pages",
    "api",
}
# The modules that assemble the app from its blueprints.
ASSEMBLERS = {"provider_portal", "provider_portal.cli"}


def _area(name: str) -> str | None:
    """The part of provider_portal a dotted name lies in (`jobs`, a blueprint, ...); None outside it."""
    parts = name.split(".")
    if parts[0] != "provider_portal":
        return None
    return parts[1] if len(parts) > 1 else ""


def test_the_domain_imports_neither_flask_nor_the_portal():
    wrong = [
        (m, t)
        for m, t in imports("contracts")
        if t.split(".")[0] in ("flask", "flask_babel", "provider_portal")
    ]
    assert wrong == []


def test_the_jobs_import_no_blueprint_and_not_the_app_factory():
    wrong = [
        (m, t)
        for m, t in imports("provider_portal")
        if _area(m) == "jobs" and (_area(t) in BLUEPRINTS or t == "provider_portal.create_app")
    ]
    assert wrong == []


def test_no_blueprint_imports_another():
    wrong = []
    for module, target in imports("provider_portal"):
        if module in ASSEMBLERS:
            continue
        mine, theirs = _area(module), _area(target)
        if theirs in BLUEPRINTS and mine != theirs:
            wrong.append((module, target))
    assert wrong == [], "what two blueprints share belongs in a module below them"


def test_the_walk_sees_relative_and_nested_imports():
    """The checks above would pass on a walk that saw nothing: make sure it sees these."""
    found = set(imports("provider_portal"))
    assert ("provider_portal.job_pages.views", "provider_portal.jobs.aggregation") in found
    assert ("provider_portal.cli", "provider_portal.finance.commands.register") in found


# What runs a query: the services do, views call them.
QUERY_CALL = re.compile(r"\b(select|scalars?|execute)\(")


def test_no_view_runs_a_query_itself():
    """Views load through `contracts.services`, check, call and render; commands and the app
    factory (which sets SQLite's pragmas) are edges of their own."""
    running = []
    for path in sorted((ROOT / "provider_portal").rglob("*.py")):
        module, _base = module_name(path)
        if _area(module) not in BLUEPRINTS or path.name == "commands.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if QUERY_CALL.search(line) and not line.lstrip().startswith("#"):
                running.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert running == []
