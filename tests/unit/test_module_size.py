"""Small modules named for what they do: none of the code grows past 400 lines unnoticed."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOST_LINES = 400


def test_every_module_is_under_400_lines_except_migrations():
    long = []
    for package in ("contracts", "provider_portal"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines >= MOST_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert long == [], "split these by what they do"
