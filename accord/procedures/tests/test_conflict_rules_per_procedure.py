"""A conflict rule can be written for one procedure: there it takes the place of the general
rule for the same role, and elsewhere the general rule still applies."""

from __future__ import annotations

import pytest
import yaml

from accord.procedures.scenarios import ScenarioFile, run_scenarios
from accord.procedures.tests.example_council import DATA, EXAMPLE
from accord.profiles.loader import ProfileInvalid, load_profile

pytestmark = pytest.mark.django_db

SCOPED = """  - role: monitoring_officer
    procedures: [officer_concern]
    alternates: [chief_executive]
    cite: "2.2"
"""


def _text(rule: str = SCOPED) -> str:
    return EXAMPLE.read_text(encoding="utf-8").replace("conflicts:\n", "conflicts:\n" + rule, 1)


def test_a_rule_for_one_procedure_takes_the_place_of_the_general_rule_there() -> None:
    spec = yaml.safe_load((DATA / "example.scenarios.yaml").read_text(encoding="utf-8"))
    spec["scenarios"] = [
        {
            "name": "scoped",
            "procedure": "officer_concern",
            "raiser": "officer",
            "subject": "councillor",
            "opened_on": "2026-06-01",
            "steps": [
                {"relationship": {"person": "mo", "other": "councillor"}},
                {
                    "expect": {
                        "stand_ins": {"monitoring_officer": "chief_exec"},
                        "hidden_from": ["mo", "deputy_mo"],
                    }
                },
            ],
        }
    ]
    (result,) = run_scenarios(_text(), ScenarioFile.model_validate(spec))
    assert result.passed, result.failures
    profile = load_profile(_text())
    assert [
        a.text
        for a in profile.conflict_rules_for("officer_concern")["monitoring_officer"].alternates
    ] == ["chief_executive"]
    assert [
        a.text for a in profile.conflict_rules_for("other")["monitoring_officer"].alternates
    ] == ["deputy_monitoring_officer", "chief_executive"]


def test_two_rules_for_the_same_role_and_procedure_are_refused() -> None:
    with pytest.raises(ProfileInvalid) as refused:
        load_profile(_text(SCOPED + SCOPED))
    assert any("more than one rule for officer_concern" in e.message for e in refused.value.errors)


def test_a_rule_for_a_procedure_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ProfileInvalid) as refused:
        load_profile(_text(SCOPED.replace("[officer_concern]", "[nothing_here]")))
    assert any(e.path == "conflicts[0].procedures[0]" for e in refused.value.errors)
