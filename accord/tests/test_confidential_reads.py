"""Views and API routers never query a confidential model directly: every read of a case, a
concern or a register entry goes through the selectors that scope it to the reader.

The check reads the source: any `Model.objects` (or `_default_manager`) on a model imported
from a confidential app's `models` module, in `accord/web` or `accord/api`, fails the test with
the file and line, so a new page cannot bypass the access layer by accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIDENTIAL_MODULES = {
    "accord.concerns.models",
    "accord.procedures.models",
    "accord.registers.models",
}
THIN_LAYERS = [ROOT / "web", ROOT / "api"]
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _sources() -> list[Path]:
    return sorted(
        path
        for layer in THIN_LAYERS
        for path in layer.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
    )


def direct_reads(source: str) -> list[tuple[int, str]]:
    """(line, "Model.objects") for each direct manager use on a confidential model."""
    tree = ast.parse(source)
    confidential: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in CONFIDENTIAL_MODULES:
            confidential.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(
                alias.asname or alias.name
                for alias in node.names
                if alias.name in CONFIDENTIAL_MODULES
            )
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in MANAGERS:
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in confidential:
            found.append((node.lineno, f"{owner.id}.{node.attr}"))
        elif isinstance(owner, ast.Attribute) and ast.unparse(owner.value) in modules:
            found.append((node.lineno, f"{ast.unparse(owner)}.{node.attr}"))
    return found


def test_views_and_api_read_confidential_models_only_through_selectors():
    offences = [
        f"{path.relative_to(ROOT.parent)}:{line}: {use}"
        for path in _sources()
        for line, use in direct_reads(path.read_text())
    ]
    assert offences == [], "Read these through the app's selectors:\n" + "\n".join(offences)


@pytest.mark.parametrize(
    "source",
    [
        "from accord.concerns.models import Concern\nConcern.objects.all()\n",
        "from accord.procedures.models import Case as C\nC._default_manager.get(pk=1)\n",
        "import accord.procedures.models\naccord.procedures.models.Case.objects.count()\n",
    ],
)
def test_the_check_catches_each_way_of_reaching_a_manager(source):
    assert direct_reads(source)


def test_the_check_ignores_models_that_are_not_confidential():
    source = "from accord.directory.models import Person\nPerson.objects.all()\n"
    assert direct_reads(source) == []
