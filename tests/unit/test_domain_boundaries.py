"""The domain knows no web app and no folder of the checkout; its documents are made from plain data.

`contracts/` is handed what it needs by its caller: the static folder and the templates a PDF
is rendered with, the folder of the Peppol rules. No module imports Flask or the portal, names
the portal's static folder or the shared folder beside the repository, or climbs from its own
file out of `contracts/`. The document modules (`contracts/documents/`) build from frozen
dataclasses: none imports SQLAlchemy, the models or the services, or takes a `Session`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.unit.import_graph import imports

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "contracts"
DOCUMENTS = DOMAIN / "documents"
# A string that names the portal, or a static or shared folder as part of a path.
FOLDER = re.compile(r"provider_portal|(^|[/\\])(static|shared)([/\\]|$)")


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string constants that are docstrings (prose, not paths)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _climb(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> int:
    """How many folders up an expression built on `__file__` goes (`.parent` is one)."""
    levels, current = 0, node
    while current in parents:
        above = parents[current]
        if isinstance(above, ast.Attribute) and above.attr == "parent":
            levels += 1
        elif (
            isinstance(above, ast.Subscript)
            and isinstance(current, ast.Attribute)
            and current.attr == "parents"
        ):
            index = above.slice
            levels += index.value + 1 if isinstance(index, ast.Constant) else 99
        elif not isinstance(above, ast.Call | ast.Attribute):
            break
        current = above
    return levels


def layout_mentions(path: Path, domain: Path = DOMAIN) -> list[str]:
    """Where a module of `domain` names the portal, a static or shared folder, or leaves `domain`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    # From contracts/a/b.py, `.parent` is contracts/a and a second one contracts: no further.
    inside = len(path.relative_to(domain).parts)
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(domain.parent)}:{getattr(node, 'lineno', '?')}"
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and FOLDER.search(node.value)
        ):
            found.append(f"{where}: {node.value!r}")
        elif isinstance(node, ast.Name) and node.id == "__file__":
            if _climb(node, parents) > inside:
                found.append(f"{where}: climbs from __file__ out of contracts/")
        elif isinstance(node, ast.Attribute) and node.attr in ("static_folder", "template_folder"):
            found.append(f"{where}: .{node.attr}")
    return found


def test_no_domain_module_imports_flask_or_the_portal():
    wrong = [
        (module, target)
        for module, target in imports("contracts")
        if target.split(".")[0] in ("flask", "flask_babel", "flask_sqlalchemy", "provider_portal")
    ]
    assert wrong == []


def test_no_domain_module_names_the_portal_or_a_folder_of_the_checkout():
    found = [line for path in _modules(DOMAIN) for line in layout_mentions(path)]
    assert found == [], "hand the folder in from the caller (the app's configuration)"


def test_no_document_module_reads_the_database():
    documents = {module_name(path) for path in _modules(DOCUMENTS)}
    wrong = [
        (module, target)
        for module, target in imports("contracts")
        if module in documents
        and (
            target.split(".")[0] == "sqlalchemy"
            or target.startswith(("contracts.models", "contracts.services"))
        )
    ]
    assert wrong == [], "documents are made from plain data; the reading is a service's"


def test_no_document_function_takes_a_session():
    taking = []
    for path in _modules(DOCUMENTS):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Name) and node.id == "Session") or (
                isinstance(node, ast.Attribute) and node.attr == "Session"
            ):
                taking.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.arg) and node.arg == "session":
                taking.append(f"{path.relative_to(ROOT)}:{node.lineno}: argument session")
    assert taking == []


def test_the_checks_see_what_they_look_for(tmp_path):
    """The walks above would pass on a walk that saw nothing: make sure they see these."""
    domain = tmp_path / "contracts"
    sample = domain / "documents" / "sample.py"
    sample.parent.mkdir(parents=True)
    source = (
        '"""Made from the static folder (prose is fine)."""\n'
        "from pathlib import Path\n"
        'A = Path(__file__).resolve().parents[2] / "provider_portal" / "static"\n'
        'B = Path(__file__).parent.parent.parent / "shared" / "rules"\n'
        "C = Path(__file__).parent / 'templates'\n"
    )
    sample.write_text(source, encoding="utf-8")
    found = layout_mentions(sample, domain)
    assert sorted(found) == [
        "contracts/documents/sample.py:3: 'provider_portal'",
        "contracts/documents/sample.py:3: 'static'",
        "contracts/documents/sample.py:3: climbs from __file__ out of contracts/",
        "contracts/documents/sample.py:4: 'shared'",
        "contracts/documents/sample.py:4: climbs from __file__ out of contracts/",
    ], found
    assert len(_modules(DOCUMENTS)) >= 9 and len(_modules(DOMAIN)) > 50
    walked = set(imports("contracts"))
    assert ("contracts.documents.ubl", "contracts.documents.data.InvoiceDocument") in walked
    assert ("contracts.services.budget", "sqlalchemy") in walked
