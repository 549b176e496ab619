"""Confidential records are queried only by their own app's selectors and services.

Every model declared `@confidential` (accord.access.confidential) is found through Django's app
registry; every module of the project, whatever folder it sits in, is then read for a use of
such a model's manager (`objects`, `_default_manager`, `_base_manager`) however the model was
reached: imported by name, through its app's `models` module, or by the module's dotted path.
Only `<app>.selectors` and `<app>.services` (modules or packages) of the model's own app, and its
migrations and tests, may use it. So a new page, command or helper cannot read a concern, a case
or a register entry without the reader's scope, and moving code between folders changes nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.access.confidential import confidential_models

ROOT = Path(__file__).resolve().parents[1]
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
READERS = ("selectors", "services")


@dataclass(frozen=True)
class Guarded:
    """A confidential model: its class name, the module defining it and its app's package."""

    name: str
    module: str
    app: str


def guarded_models() -> list[Guarded]:
    return [
        Guarded(model.__name__, model.__module__, model._meta.app_config.name)
        for model in confidential_models()
    ]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def may_query(module: str, model: Guarded) -> bool:
    return any(
        module == f"{model.app}.{reader}" or module.startswith(f"{model.app}.{reader}.")
        for reader in READERS
    )


def _scanned(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield path


def direct_reads(source: str, models: list[Guarded]) -> list[tuple[int, Guarded]]:
    """(line, model) for each manager use on a confidential model, however it was reached."""
    by_module: dict[str, dict[str, Guarded]] = {}
    for model in models:
        by_module.setdefault(model.module, {})[model.name] = model
    tree = ast.parse(source)
    classes: dict[str, Guarded] = {}  # a local name bound to a model class
    modules: dict[str, dict[str, Guarded]] = {}  # a local dotted name bound to a models module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module in by_module and alias.name in by_module[node.module]:
                    classes[local] = by_module[node.module][alias.name]
                elif f"{node.module}.{alias.name}" in by_module:
                    modules[local] = by_module[f"{node.module}.{alias.name}"]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in by_module:
                    modules[alias.asname or alias.name] = by_module[alias.name]
    found: list[tuple[int, Guarded]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in MANAGERS:
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in classes:
            found.append((node.lineno, classes[owner.id]))
        elif isinstance(owner, ast.Attribute):
            module = modules.get(ast.unparse(owner.value), {})
            if owner.attr in module:
                found.append((node.lineno, module[owner.attr]))
    return found


def bypasses(root: Path, models: list[Guarded]) -> list[str]:
    """`path:line: Model.objects` for every read outside the model's selectors and services."""
    return [
        f"{path.relative_to(root.parent)}:{line}: {model.name} in {module_name(path, root)}"
        for path in _scanned(root)
        for line, model in direct_reads(path.read_text(), models)
        if not may_query(module_name(path, root), model)
    ]


def test_confidential_models_are_queried_only_by_their_apps_selectors_and_services():
    offences = bypasses(ROOT, guarded_models())
    assert offences == [], "Read these through the app's selectors:\n" + "\n".join(offences)


def test_the_guard_knows_the_confidential_models_from_the_app_registry():
    names = {model.name for model in guarded_models()}
    assert {"Concern", "Case", "CaseTimer", "DeclaredRelationship", "AuditEvent"} <= names
    assert "Person" not in names


PLANTED = {
    "a model imported by name into a view": (
        "from accord.concerns.models import Concern\n"
        "def page(request):\n    return Concern.objects.all()\n"
    ),
    "the app's models module imported into a view": (
        "from accord.concerns import models\n"
        "def page(request):\n    return models.Concern.objects.all()\n"
    ),
    "a renamed import of the model": (
        "from accord.procedures.models import Case as C\nC._default_manager.get(pk=1)\n"
    ),
    "the models module by its dotted path": (
        "import accord.procedures.models\naccord.procedures.models.CaseTimer.objects.count()\n"
    ),
    "the models module renamed": (
        "import accord.registers.models as r\nr.DeclaredRelationship._base_manager.all()\n"
    ),
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
@pytest.mark.parametrize("where", ["web/scratch_views.py", "concerns/views/scratch.py"])
def test_the_guard_fails_on_a_bypass_planted_in_a_scratch_module(tmp_path, source, where):
    root = tmp_path / "accord"
    planted = root / where
    planted.parent.mkdir(parents=True)
    planted.write_text(source)

    offences = bypasses(root, guarded_models())

    assert len(offences) == 1
    assert offences[0].startswith(f"accord/{where}:")


def test_the_guard_lets_each_app_query_its_own_models_in_selectors_and_services(tmp_path):
    root = tmp_path / "accord"
    (root / "procedures" / "services").mkdir(parents=True)
    source = "from accord.procedures.models import Case\nCase.objects.all()\n"
    (root / "procedures" / "services" / "opening.py").write_text(source)
    (root / "procedures" / "selectors.py").write_text(source)
    (root / "concerns").mkdir()
    (root / "concerns" / "selectors.py").write_text(source)  # another app's selectors: not allowed

    assert bypasses(root, guarded_models()) == [
        "accord/concerns/selectors.py:2: Case in accord.concerns.selectors"
    ]


def test_the_guard_ignores_models_that_are_not_confidential():
    source = "from accord.directory.models import Person\nPerson.objects.all()\n"
    assert direct_reads(source, guarded_models()) == []
