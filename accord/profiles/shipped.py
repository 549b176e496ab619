"""The profiles Accord ships, by the name `accord demo --profile NAME` takes.

Each name lists its files oldest version first, so loading them in order stores every version
(Leicestershire's earlier protocol is version 1 of the same profile).
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

SHIPPED: dict[str, tuple[str, ...]] = {
    "leicestershire-000": (
        "leicestershire-002.yaml",
        "leicestershire-000-v2.yaml",
        "leicestershire-000.yaml",
    ),
    "council-001": ("council-001.yaml",),
    "council-004": ("council-004.yaml",),
    "example": ("example.yaml",),
}
ALIASES = {"000": "leicestershire-000", "001": "council-001", "004": "council-004"}
DEFAULT = "leicestershire-000"


def shipped_names() -> list[str]:
    return sorted(SHIPPED)


def shipped_texts(name: str) -> list[str]:
    """The YAML texts for `name` (or its alias), oldest version first; KeyError if unknown."""
    files = SHIPPED[ALIASES.get(name, name)]
    return [(DATA / file).read_text(encoding="utf-8") for file in files]
