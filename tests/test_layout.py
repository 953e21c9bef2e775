"""The layout holds: imports run one way, the server's packages depend downwards only, and every
page type and listing has its query and its template."""
from __future__ import annotations

import ast

from ckg.server.http import iri_paths
from ckg.server.page_queries import HERE as PAGE_QUERIES
from ckg.server.views.listings import LISTINGS
from ckg.server.views.page_types import PAGE_TYPES

from .conftest import ROOT

LAYERS = {"ontology": 0, "graph": 1, "server": 2, "ckg": 3}
"""cli (the top-level ckg package) → server → graph → ontology."""
SHARED = {"ckg.settings", "ckg.settings.Settings", "ckg.settings.DEFAULTS"}
"""The settings: built by the command line, passed down; they import nothing of the project."""
SERVER_MAY_IMPORT = {
    "http": set(),
    "runtime": {"http"},
    "presenters": {"http"},
    "page_queries": {"presenters"},
    "views": {"http", "runtime", "presenters", "page_queries"},
}
"""Within the server: what each package may import (the app and serve.py sit on top of them all)."""


def imports(path) -> list[str]:
    """The modules a source file imports, relative imports resolved to ``ckg.…`` names."""
    module = _module_of(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return [name for name in found if name.startswith("ckg.")]


def _module_of(path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    top = {"ckg": "ckg", "graph": "ckg.graph", "server": "ckg.server", "ontology": "ckg.ontology"}[parts[0]]
    return ".".join([top, *parts[1:]])


def _layer(module: str) -> int:
    part = module.split(".")[1] if module.count(".") else "ckg"
    return LAYERS.get(part, LAYERS["ckg"])


def source_files(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts]


def test_imports_run_one_way():
    wrong = []
    for folder in ("ontology", "graph", "server", "ckg"):
        for path in source_files(folder):
            here = _layer(_module_of(path))
            wrong += [(str(path.relative_to(ROOT)), name) for name in imports(path)
                      if _layer(name) > here and name not in SHARED and name.split(".")[1:2] != ["queries"]]
    assert wrong == []


def test_the_servers_packages_depend_downwards():
    wrong = []
    for package, allowed in SERVER_MAY_IMPORT.items():
        for path in source_files(f"server/{package}"):
            for name in imports(path):
                parts = name.split(".")
                if parts[:2] == ["ckg", "server"] and len(parts) > 2:
                    other = parts[2]
                    if other != package and other not in allowed:
                        wrong.append((str(path.relative_to(ROOT)), name))
    assert wrong == []


def test_every_page_type_and_listing_has_its_query_and_template():
    templates = ROOT / "server" / "templates"
    for page_type in PAGE_TYPES:
        assert (templates / page_type.template_name).is_file(), page_type.kind
        assert page_type.query is None or (PAGE_QUERIES / f"{page_type.query}.rq").is_file(), page_type.kind
    assert PAGE_TYPES[-1].classes == frozenset(), "the last page type fits any resource"
    for listing in LISTINGS:
        assert (templates / "pages" / f"{listing.template or listing.name}.html").is_file()
        assert (PAGE_QUERIES / f"{listing.name}.rq").is_file()
        assert iri_paths.reserved(listing.name), "a listing's path is never read as an IRI's"
