"""Which part of the code may import which, read from the source so the layout cannot drift.

Every `import` and `from ... import` in every module counts, including those inside functions
and under `TYPE_CHECKING`: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT.name

SHELL = frozenset({"web", "api"})
# The project's own wiring, which may import anything.
WIRING = frozenset({"urls", "settings", "settings_production", "cli", "wsgi", "asgi", "demo"})
# What the procedure engine may build on. A procedure app (concerns and those to come) and the
# registers that feed it conflicts plug in through the engine's hooks instead, so the engine
# never imports them.
ENGINE = "procedures"
ENGINE_MAY_IMPORT = frozenset(
    {"access", "accounts", "audit", "core", "directory", "notifications", "profiles", ENGINE}
)
# The thin layers of an app: the only modules of a domain app that may use the shell's parts
# (the base templates' helpers, the API's error format and token authentication), and its
# `apps.py`, which registers the app's sections with the shell's navigation.
THIN = frozenset({"views", "api", "urls", "forms", "schemas", "apps"})


# What a page or API module may import from a domain app: reads through its selectors, writes
# through its services, input through its forms and schemas, and the refusals those raise. A
# model's name may appear only in a type annotation (under `TYPE_CHECKING`): a view never touches
# a manager or a queryset of its own.
ENTRY_POINTS = frozenset({"selectors", "services", "forms", "schemas", "errors"})
# Not domain apps: the shell, the foundation and the access vocabulary every layer shares.
NOT_DOMAIN = SHELL | frozenset({"core", "access"})


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    type_only: bool = False


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(source: str, importer: str) -> Iterator[Import]:
    tree = ast.parse(source)
    typing_only = _type_checking_lines(tree)
    for node in ast.walk(tree):
        type_only = node.lineno in typing_only if isinstance(node, ast.stmt) else False
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, node.lineno, type_only)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield Import(importer, node.module, node.lineno, type_only)
            for alias in node.names:
                yield Import(importer, f"{node.module}.{alias.name}", node.lineno, type_only)


def project_imports(root: Path = ROOT) -> list[Import]:
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        found.extend(
            found_import
            for found_import in imports_of(path.read_text(), module_name(path, root))
            if found_import.imported.startswith(f"{PACKAGE}.")
        )
    return found


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_thin(module: str) -> bool:
    return any(part in THIN or part.endswith("_views") for part in module.split(".")[2:])


def shell_imports_from_domain(found: list[Import]) -> list[Import]:
    return [
        i
        for i in found
        if app_of(i.imported) in SHELL
        and app_of(i.importer) not in SHELL | WIRING
        and not is_thin(i.importer)
    ]


def engine_imports_outside_its_base(found: list[Import]) -> list[Import]:
    return [
        i
        for i in found
        if app_of(i.importer) == ENGINE
        and app_of(i.imported) not in ENGINE_MAY_IMPORT
        # Its own pages and API use the shell's parts, as every app's do.
        and not (is_thin(i.importer) and app_of(i.imported) in SHELL)
        # Scenarios build a whole council to run a profile's worked examples against.
        and not i.importer.startswith(f"{PACKAGE}.{ENGINE}.scenarios")
    ]


def is_page_or_api(module: str) -> bool:
    return any(
        part in {"views", "api"} or part.endswith("_views") for part in module.split(".")[2:]
    )


def entry_point_of(imported: str) -> str:
    """The module of a domain app an import reaches (`selectors` for
    `accord.library.selectors.version_get`), or "" for the app's package itself."""
    parts = imported.split(".")
    return parts[2] if len(parts) > 2 else ""


def pages_reaching_past_entry_points(found: list[Import]) -> list[Import]:
    offences = []
    for i in found:
        if not is_page_or_api(i.importer) or app_of(i.imported) in NOT_DOMAIN:
            continue
        module = entry_point_of(i.imported)
        own_thin = app_of(i.imported) == app_of(i.importer) and module in THIN
        if module in ENTRY_POINTS or own_thin:
            continue
        if module == "models" and i.type_only:
            continue
        # `from accord.library import selectors` names the entry point as the imported name.
        if module == "" and i.imported == f"{PACKAGE}.{app_of(i.imported)}":
            continue
        offences.append(i)
    return offences


def _listed(found: list[Import]) -> str:
    return "\n".join(f"{i.importer}:{i.line} imports {i.imported}" for i in found)


def test_domain_code_never_imports_the_web_or_api_shell():
    offences = shell_imports_from_domain(project_imports())
    assert offences == [], "Domain code must not depend on the shell:\n" + _listed(offences)


def test_the_procedure_engine_never_imports_a_procedure_app_or_a_conflict_source():
    offences = engine_imports_outside_its_base(project_imports())
    assert offences == [], "Register through the engine's hooks instead:\n" + _listed(offences)


def test_pages_and_the_api_reach_a_domain_only_through_its_selectors_services_and_forms():
    offences = pages_reaching_past_entry_points(project_imports())
    assert offences == [], (
        "Read through selectors, write through services; name a model only as a type:\n"
        + _listed(offences)
    )


def test_the_contracts_catch_a_planted_breach(tmp_path):
    root = tmp_path / PACKAGE
    (root / "procedures").mkdir(parents=True)
    (root / "directory").mkdir()
    (root / "procedures" / "timers.py").write_text(
        "def later():\n    from accord.concerns.selectors import concern_get\n"
    )
    (root / "directory" / "selectors.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import accord.web.forms\n"
    )
    (root / "directory" / "views.py").write_text("from accord.web.forms import GovukForm\n")

    found = project_imports(root)

    assert [(i.importer, i.line) for i in engine_imports_outside_its_base(found)] == [
        ("accord.procedures.timers", 2),
        ("accord.procedures.timers", 2),
    ]
    assert {i.importer for i in shell_imports_from_domain(found)} == {"accord.directory.selectors"}


def test_the_page_contract_catches_a_model_or_an_internal_module_reached_from_a_view(tmp_path):
    root = tmp_path / PACKAGE
    (root / "concerns").mkdir(parents=True)
    (root / "concerns" / "views.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from accord.concerns import selectors, services\n"
        "from accord.concerns.forms import RaiseForm\n"
        "from accord.concerns.models import Concern\n"
        "from accord.procedures import presentation\n"
        "if TYPE_CHECKING:\n"
        "    from accord.directory.models import Person\n"
    )
    (root / "concerns" / "api.py").write_text("def read():\n    import accord.concerns.export\n")

    offences = pages_reaching_past_entry_points(project_imports(root))

    assert sorted({(i.importer, i.line) for i in offences}) == [
        ("accord.concerns.api", 2),
        ("accord.concerns.views", 4),
        ("accord.concerns.views", 5),
    ]
