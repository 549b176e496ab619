"""The engine's own layout, checked by reading its source.

- Case records are read only in `selectors` and written only in `services`: every other module
  of the engine (presentation, retention, conflicts, commands, scenarios) goes through them.
- The engine imports none of the apps built on it (concerns, registers) nor the web or API
  layers: they register what the engine needs from them (case pages, conflict sources) when
  they start. The one exception is the scenario player, which declares a relationship through
  the registers app's service to play a scenario's `relationship` step.
"""

from __future__ import annotations

import ast
from pathlib import Path

from accord.tests.test_confidential_reads import direct_reads

ENGINE = Path(__file__).resolve().parents[1]
BUILT_ON_IT = ("accord.concerns", "accord.registers", "accord.web", "accord.api")
ALLOWED = {("scenarios.py", "accord.registers.services")}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in ENGINE.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ENGINE).parts)
    )


def _reads_and_writes_cases(path: Path) -> bool:
    first = path.relative_to(ENGINE).parts[0]
    return first in {"selectors.py", "selectors", "services.py", "services"}


def imported(source: str) -> list[tuple[int, str]]:
    """(line, module) for every import, at the top or inside a function."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_only_selectors_and_services_query_case_records():
    offences = [
        f"{path.relative_to(ENGINE)}:{line}: {use}"
        for path in _modules()
        if not _reads_and_writes_cases(path)
        for line, use in direct_reads(path.read_text())
    ]
    assert offences == [], "Read cases through selectors, write them in services:\n" + "\n".join(
        offences
    )


def test_the_engine_imports_none_of_the_apps_built_on_it():
    offences = [
        f"{path.relative_to(ENGINE)}:{line}: {module}"
        for path in _modules()
        for line, module in imported(path.read_text())
        if any(module == app or module.startswith(f"{app}.") for app in BUILT_ON_IT)
        and (str(path.relative_to(ENGINE)), module) not in ALLOWED
    ]
    assert offences == [], "Register with the engine instead:\n" + "\n".join(offences)


def test_the_import_check_sees_imports_inside_functions():
    source = "def f():\n    from accord.registers.selectors import x\n"
    assert imported(source) == [(2, "accord.registers.selectors")]
