"""Tests people can live in: what two test modules share lives in a module named for what it
does (tests/factories.py, tests/scenarios.py, tests/pages.py, tests/jobs/workers.py, ...), never
in a test module that another imports."""

from __future__ import annotations

from tests.unit.import_graph import imports


def from_a_test_module(target: str) -> bool:
    """Whether an imported name lies in a module under tests/ whose name starts with test_."""
    parts = target.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts[1:])


def test_no_module_under_tests_imports_from_a_test_module():
    wrong = [f"{m} imports {t}" for m, t in imports("tests") if from_a_test_module(t)]
    assert wrong == [], "move what they share into a helper module named for what it does"


def test_the_check_sees_absolute_relative_and_nested_imports():
    """The check above would pass on a walk that saw nothing: make sure it sees these."""
    found = set(imports("tests"))
    assert ("tests.web.test_score_pages", "tests.pages.ScoreTable") in found
    assert ("tests.jobs.test_faults", "contracts.models.Contract") in found  # in a function
    for target in (
        "tests.jobs.test_worker.start_worker",  # from tests.jobs.test_worker import start_worker
        "tests.web.test_pages",  # from tests.web import test_pages
        "tests.api.test_errors",  # import tests.api.test_errors
    ):
        assert from_a_test_module(target), target
    for target in ("tests.jobs.workers.start_worker", "tests.pages.PageParts", "pytest"):
        assert not from_a_test_module(target), target
