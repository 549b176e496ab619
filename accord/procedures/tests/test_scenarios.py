"""Every shipped profile's scenarios, one test each, so a changed rule names what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.procedures.scenarios import load_scenarios, run_scenarios, scenario_path_for
from accord.profiles.loader import load_profile

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
PROFILES = sorted(
    path
    for path in DATA.glob("*.yaml")
    if not path.name.endswith(".scenarios.yaml") and scenario_path_for(path).exists()
)


def _cases() -> list[tuple[Path, str]]:
    found = []
    for path in PROFILES:
        scenarios = load_scenarios(scenario_path_for(path), load_profile(path))
        found += [(path, scenario.name) for scenario in scenarios.scenarios]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(("profile", "name"), _cases(), ids=lambda v: getattr(v, "stem", v))
def test_profile_scenario_holds(profile: Path, name: str) -> None:
    text = profile.read_text(encoding="utf-8")
    scenarios = load_scenarios(scenario_path_for(profile), load_profile(text))
    (result,) = run_scenarios(text, scenarios, only=name)
    assert result.passed, "\n".join(result.failures)


def test_every_shipped_council_profile_has_scenarios() -> None:
    names = {path.stem for path in PROFILES}
    assert {"example"} <= names
