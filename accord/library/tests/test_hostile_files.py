"""Hostile files: each is refused with a message on the field "file" that names the limit, or
read within the limits, in bounded memory and bounded work.

The files are made by `accord.library.tests.hostile` (never kept in the repository) once for the
module, and read by its probe in a process of their own, forked for each file, which reports the
answer, the peak memory the reading took and the work it counted. Nothing here measures time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.library.parsing.limits import (
    LIMITS,
    MAX_CHARACTERS,
    MAX_PARAGRAPHS,
    PDF_MAX_NESTING,
    WORD_MAX_XML_DEPTH,
)
from accord.library.tests.hostile import FILES, build

pytestmark = pytest.mark.hostile

MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]
# No reading may take more memory than this above what the process held before.
PEAK = 64 * MIB
# The parts of a .docx read before its text: the two lists of relationships.
RELATIONSHIPS = 2_000
CHUNK = 64 * 1024

# name: (read?, words the refusal has, a check of the work counted)
EXPECTED: dict[str, tuple[bool, str, Any]] = {
    "word picture of 256 MiB of zeros": (
        True,
        "",
        lambda work: work["expanded_bytes"] < RELATIONSHIPS + 2_000,
    ),
    "word text part of 200 MB": (
        False,
        "The Word file's part word/document.xml expands to 200 MB; the limit is 20 MB",
        lambda work: work["expanded_bytes"] < RELATIONSHIPS and work["xml_elements"] < 10,
    ),
    "word part lying about its size": (
        False,
        "The Word file could not be opened: it may be damaged",
        lambda work: work["expanded_bytes"] < RELATIONSHIPS + 10_000,
    ),
    "word XML nested 200,000 deep": (
        False,
        "The Word file's XML is nested more than 100 levels deep; the limit is 100.",
        lambda work: (
            work["xml_elements"] <= WORD_MAX_XML_DEPTH + 10
            and work["expanded_bytes"] < RELATIONSHIPS + CHUNK
        ),
    ),
    "word XML entity expansion": (
        False,
        "declares a document type or XML entities, which Word never writes",
        lambda work: work["expanded_bytes"] < RELATIONSHIPS + CHUNK and work["characters"] == 0,
    ),
    "word of 10,000 parts": (
        False,
        "The Word file holds 10,004 parts; the limit is 2,000.",
        lambda work: sum(work.values()) == 0,
    ),
    "word text of 19 MB": (
        False,
        "The Word file has more than 25,000 paragraphs; the limit is 25,000.",
        lambda work: (
            work["paragraphs"] == MAX_PARAGRAPHS + 1 and work["characters"] <= MAX_CHARACTERS
        ),
    ),
    "pdf page tree of 100,000 references": (
        False,
        "The PDF has more than 500 pages; the limit is 500.",
        # The list of pages is read once; not a page of it is.
        lambda work: work["pdf_pages"] == 0 and work["pdf_objects"] <= 100_100,
    ),
    "pdf dictionaries nested 200,000 deep": (
        False,
        "The PDF has objects nested more than 100 deep; the limit is 100.",
        lambda work: work["pdf_objects"] <= 3 * PDF_MAX_NESTING,
    ),
    "pdf arrays nested 200,000 deep in its text": (
        False,
        "The PDF has objects nested more than 100 deep; the limit is 100.",
        lambda work: work["pdf_objects"] <= 3 * PDF_MAX_NESTING,
    ),
    "text of 9 MB": (
        False,
        "The file's text is 9,437,184 characters long; the limit is 2,000,000 characters",
        lambda work: sum(work.values()) == 0,
    ),
    "text of 1.9 million characters": (
        True,
        "",
        lambda work: work["characters"] == 1_900_000,
    ),
    "zip named .pdf": (
        False,
        "The file is named .pdf but is a Word file or another zip archive, not a PDF.",
        lambda work: sum(work.values()) == 0,
    ),
    "pdf named .docx": (
        False,
        "The file is named .docx but is a PDF, not a Word file. Rename it to end in .pdf",
        lambda work: sum(work.values()) == 0,
    ),
    "program named .txt": (
        False,
        "The file is named .txt but is a program, not a text file.",
        lambda work: sum(work.values()) == 0,
    ),
}


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("hostile")
    build(directory)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accord.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "accord.library.tests.hostile", str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def test_every_hostile_file_has_an_expected_answer():
    assert set(EXPECTED) == set(FILES)


@pytest.mark.parametrize("name", EXPECTED)
def test_a_hostile_file_is_refused_naming_the_limit_or_read_within_bounds(name, readings):
    reading = readings[name]
    read, says, work_is_bounded = EXPECTED[name]

    assert "error" not in reading, reading
    assert reading["read"] is read, reading
    if not read:
        assert reading["fields"] == ["file"]
        assert says in reading["message"], reading["message"]
    assert reading["peak_bytes"] < PEAK, reading
    # Whatever the file, no count passes its limit by more than the step that found it.
    for count, limit in LIMITS.items():
        assert reading["work"][count] <= limit + CHUNK, (count, reading["work"])
    assert work_is_bounded(reading["work"]), reading["work"]
