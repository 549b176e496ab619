"""The redline between two versions: pairing paragraphs, word changes, and the three renderings."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pypdf
import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.testing import examples
from accord.library.redline import (
    KINDS,
    Change,
    Redline,
    compare,
    render_html,
    render_pdf,
    render_text,
    word_ops,
)
from accord.profiles.tests.protocols import document


@dataclass(frozen=True)
class Para:
    reference: str
    text: str
    heading: str = ""


def paras(*pairs: tuple[str, str]) -> list[Para]:
    return [Para(reference, text) for reference, text in pairs]


@pytest.fixture(scope="module")
def leicestershire() -> Redline:
    """The pre-2025 Leicestershire protocol (002) against the 2025 revision (000)."""
    return compare(document("002").paragraphs, document("000").paragraphs)


def change_of(redline: Redline, *, old: str = "", new: str = "") -> Change:
    (found,) = [
        c
        for c in redline.changes
        if (not old or c.old_reference == old) and (not new or c.new_reference == new)
    ]
    return found


def rejoined(words: tuple[tuple[str, str], ...], side: str) -> str:
    return "".join(text for op, text in words if op in ("same", side))


# --- pairing the two Leicestershire versions, checked by reading both ------------------------

# (002 reference, 000 reference or None, kind, why)
HAND_CHECKED = [
    ("1", "1", "same", "the purpose paragraph is word for word the same"),
    ("2", "2", "changed", "rewritten in place: now says it supports working relationships"),
    ("3(a)", "3(a)", "changed", "'democratically-elected' lost its hyphen"),
    ("3(c)", "3(c)", "changed", "'the elected members' became 'elected members'"),
    ("3(e)", "3(e)", "changed", "'joint or single' became 'single or joint'"),
    (
        "3(g)",
        "3(g)",
        "changed",
        "statutory officers reordered, a sentence on the SO protocol added",
    ),
    ("3(i)", "3(i)", "same", "mutual trust and respect, unchanged"),
    ("4", "6", "renumbered", "two new paragraphs 4 and 5 pushed it down; 'job' became 'role'"),
    ("5", "7", "renumbered", "day-to-day management, word for word"),
    ("8", "10", "renumbered", "mutual trust and respect between members and officers"),
    ("9", "12", "renumbered", "now points to the paragraph 51 process instead of the Director"),
    ("10", "13", "renumbered", "'derogatory' rewritten as 'criticises, disparages or undermines'"),
    ("11", "15", "renumbered", "'parish councils' added; new 11 and 14 came before it"),
    ("14", "18", "renumbered", "group briefings: 'also' and the Cabinet Briefings sentence added"),
    ("18", "22", "renumbered", "'the Scrutiny Commissioners or' dropped"),
    ("20", "24", "renumbered", "the Lead Member role; the Children's Services sentence joined it"),
    ("20(a)", "24(a)", "renumbered", "leadership role in their area"),
    ("20(f)", "24(f)", "renumbered", "speaking to the media; its trailing sentence went to 24"),
    ("23", "27", "renumbered", "'a wiser course' became 'in some circumstances it may be prudent'"),
    ("24(a)", "28(g)", "renumbered", "the 2025 text letters these items (g) and (h)"),
    ("24(b)", "28(h)", "renumbered", "referring the issue to the Cabinet"),
    ("25", "29", "renumbered", "'render inappropriate' turned round to 'is usually inappropriate'"),
    ("26", "36", "renumbered", "sensitive local reports: the new 30-35 section came before it"),
    ("28", "38", "renumbered", "'need to know' common law right"),
    ("29", "30", "moved", "notifying members early now opens the electoral-division section"),
    ("30", "39", "renumbered", "the examples became a bulleted list of circumstances"),
    ("31", "40", "renumbered", "notifying the Leader or Cabinet Lead Member, unchanged"),
    ("34", "45", "renumbered", "'Head of Law or Head of People Services' replaced HR"),
    ("36", "47", "renumbered", "the list of procedures became a pointer to the Code (Part 5B)"),
    ("37", "48", "renumbered", "the Whistleblowing Procedure, unchanged"),
    ("38", None, "deleted", "collective issues and the Disputes Panel are gone in 2025"),
]
# 000 paragraphs with no counterpart in 002, and why.
HAND_CHECKED_NEW = [
    ("3(j)", "senior members and officers model the behaviours: new principle"),
    ("4", "the shared understanding the protocol depends on: new"),
    ("5", "training, guidance and induction: new"),
    ("11", "dignity, respect and fairness at work: new"),
    ("14", "officers' politically neutral conduct online: new"),
    ("31", "members' representative role in their division: new"),
    ("41", "constituent issues: a member advising an officer who lives locally: new"),
    ("50(c)", "the conduct-concern route via the group leader: new"),
    ("52", "keeping the protocol under review: new"),
    ("SO 1.1", "the whole Statutory Officers Protocol is new"),
    ("App B 8.2", "the Monitoring Officer's conflicts paragraph is new"),
]


@pytest.mark.parametrize(("old", "new", "kind", "why"), HAND_CHECKED)
def test_earlier_leicestershire_paragraph_pairs_with_the_one_checked_by_hand(
    leicestershire, old, new, kind, why
):
    change = change_of(leicestershire, old=old)
    assert (change.new_reference or None, change.kind) == (new, kind), why


@pytest.mark.parametrize(("new", "why"), HAND_CHECKED_NEW)
def test_new_leicestershire_paragraph_is_inserted(leicestershire, new, why):
    assert change_of(leicestershire, new=new).kind == "inserted", why


def test_each_paragraph_of_either_version_appears_exactly_once(leicestershire):
    old = [c.old_reference for c in leicestershire.changes if c.old is not None]
    new = [c.new_reference for c in leicestershire.changes if c.new is not None]
    assert old == sorted(set(old), key=old.index)
    assert sorted(old) == sorted(p.reference for p in document("002").paragraphs)
    assert new == [p.reference for p in document("000").paragraphs]


def test_leicestershire_counts(leicestershire):
    assert leicestershire.counts() == {
        "same": 7,
        "changed": 5,
        "renumbered": 41,
        "moved": 1,
        "inserted": 208,
        "deleted": 1,
    }


def test_a_deleted_paragraph_stays_where_it_was(leicestershire):
    references = [(c.old_reference, c.new_reference) for c in leicestershire.changes]
    at = references.index(("38", ""))
    assert references[at - 1] == ("37", "48")
    assert references[at + 1] == ("", "49")


def test_renumbered_paragraph_whose_words_changed_carries_the_word_changes(leicestershire):
    change = change_of(leicestershire, old="9")
    assert change.kind == "renumbered"
    assert change.reworded
    inserted = "".join(text for op, text in change.words if op == "ins")
    assert "it using the process outlined at paragraph 51 of this protocol" in inserted
    assert change.old is not None
    assert change.new is not None
    assert rejoined(change.words, "del") == change.old.text
    assert rejoined(change.words, "ins") == change.new.text


def test_renumbered_paragraph_with_the_same_words_has_no_word_changes(leicestershire):
    change = change_of(leicestershire, old="5")
    assert change.kind == "renumbered"
    assert not change.reworded
    assert change.new is not None
    assert change.words == (("same", change.new.text),)


def test_identical_versions_are_all_the_same():
    for number in ("000", "002"):
        paragraphs = document(number).paragraphs
        redline = compare(paragraphs, paragraphs)
        assert redline.counts()["same"] == len(paragraphs)
        assert all(c.similarity == 1.0 and not c.reworded for c in redline.changes)
        assert render_text(redline).startswith("Changes: No changes;")


def test_empty_versions_compare_to_nothing_or_everything():
    new = paras(("1", "Officers will answer."), ("2", "Members will ask."))
    assert compare([], []).changes == []
    assert [c.kind for c in compare([], new).changes] == ["inserted", "inserted"]
    assert [c.kind for c in compare(new, []).changes] == ["deleted", "deleted"]
    assert "Neither version" in render_html(compare([], []))


def test_paragraph_moved_out_of_order_is_moved_and_the_rest_stay_in_place():
    texts = [
        "Members represent their division and respond to residents.",
        "Officers give impartial advice to every political group.",
        "The Monitoring Officer keeps a register of concerns raised.",
        "Training on this protocol is offered at every induction.",
        "Complaints about conduct go to the Standards Committee first.",
    ]
    old = paras(*((str(n), t) for n, t in enumerate(texts, 1)))
    new = paras(*((str(n), t) for n, t in enumerate([texts[4], *texts[:4]], 1)))
    kinds = [(c.old_reference, c.new_reference, c.kind) for c in compare(old, new).changes]
    assert kinds[0] == ("5", "1", "moved")
    assert kinds[1:] == [(str(n), str(n + 1), "renumbered") for n in range(1, 5)]


def test_short_lead_in_is_not_kept_in_place_with_another_when_its_own_moved():
    old = paras(
        ("1", "The Monitoring Officer will:"),
        ("2", "The Monitoring Officer's core functions include:"),
    )
    new = [old[1], old[0]]
    kinds = sorted((c.old_reference, c.new_reference, c.kind) for c in compare(old, new).changes)
    assert {k[:2] for k in kinds} == {("1", "1"), ("2", "2")}


def test_unrelated_paragraphs_in_the_same_place_are_deleted_and_inserted():
    old = paras(("1", "Officers answer enquiries."), ("2", "Collective issues go to the panel."))
    new = paras(("1", "Officers answer enquiries."), ("2", "Induction covers this protocol."))
    assert [c.kind for c in compare(old, new).changes] == ["same", "deleted", "inserted"]


def test_changed_heading_is_compared_word_by_word():
    old = [Para("50(a)", "The staff member may raise it.", heading="Discussion")]
    new = [Para("50(a)", "The staff member may raise it.", heading="Informal Discussion")]
    (change,) = compare(old, new).changes
    assert change.kind == "changed"
    assert change.heading_words == (("ins", "Informal "), ("same", "Discussion"))
    assert "[+Informal +]Discussion:" in render_text(compare(old, new))


@pytest.mark.django_db
def test_stored_paragraph_rows_compare_like_parsed_ones():
    from accord.library.testing import make_version

    old = make_version(
        label="2019", status="superseded", paragraphs=[("1", "Members ask."), ("2", "Officers do.")]
    )
    new = make_version(label="2025", paragraphs=[("1", "Members ask."), ("2", "Officers act.")])
    redline = compare(list(old.paragraphs.order_by("position")), list(new.paragraphs.all()))
    assert redline.counts() == {**dict.fromkeys(KINDS, 0), "same": 1, "changed": 1}


# --- word changes ----------------------------------------------------------------------------


def test_word_changes_fold_a_short_unchanged_word_into_the_change_around_it():
    assert word_ops("whether joint or single, is", "whether single or joint, is") == (
        ("same", "whether "),
        ("del", "joint or single"),
        ("ins", "single or joint"),
        ("same", ", is"),
    )


def test_word_changes_mark_punctuation_without_marking_the_words_beside_it():
    assert word_ops("officers either individually", "officers, either individually") == (
        ("same", "officers"),
        ("ins", ","),
        ("same", " either individually"),
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("", "All new."),
        ("All gone.", ""),
        ("The same words.", "The same words."),
        ("democratically-elected", "democratically elected"),
        ("the Council\u2019s work", "the Council's work"),
        ("  spaces\n\tand  lines ", "spaces and lines"),
        ("a b c d e f", "f e d c b a"),
    ],
)
def test_word_changes_rejoin_to_the_old_and_the_new_text(old, new):
    ops = word_ops(old, new)
    assert rejoined(ops, "del") == old
    assert rejoined(ops, "ins") == new
    assert all(text for _, text in ops)


_VOCABULARY = st.sampled_from(
    ["the", "Council", "officer", "member's", "(a)", "-", ",", ".", " ", "  ", "\n", "é", "<b>"]
)
_TEXTS = st.one_of(st.text(max_size=60), st.lists(_VOCABULARY, max_size=30).map("".join))


@settings(max_examples=examples(100))
@given(old=_TEXTS, new=_TEXTS)
def test_any_word_changes_rejoin_to_the_old_and_the_new_text(old, new):
    ops = word_ops(old, new)
    assert rejoined(ops, "del") == old
    assert rejoined(ops, "ins") == new
    assert all(op in ("same", "ins", "del") and text for op, text in ops)
    # Neighbouring pieces never share a kind: each run is said once.
    assert all(a[0] != b[0] for a, b in itertools.pairwise(ops))


# --- rendering -------------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> "onmouseover=alert(2) &amp; x'


@pytest.fixture(scope="module")
def hostile() -> Redline:
    old = [
        Para("1", f"Members will {HOSTILE} ask.", heading="<b>Head</b>"),
        Para("2", "Officers will answer promptly and fully."),
        Para("<i>3</i>", "Removed <img src=x onerror=alert(3)>."),
    ]
    new = [
        Para("1", f"Members will {HOSTILE} ask nicely.", heading="<b>Head</b> & more"),
        Para('2"x', f"Officers will answer promptly and fully. {HOSTILE}"),
        Para("4", f"Inserted {HOSTILE}", heading="<svg onload=alert(4)>"),
    ]
    return compare(old, new)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def markup_of(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


def test_html_escapes_every_piece_of_text(hostile):
    html = render_html(hostile)
    assert isinstance(html, SafeString)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;onmouseover=" in html
    assert "&amp;amp;" in html
    assert "&lt;i&gt;3&lt;/i&gt;" in html
    assert "&lt;svg onload=alert(4)&gt;" in html
    markup = markup_of(html)
    assert markup.tags <= {"div", "h3", "span", "strong", "p", "ins", "del"}
    assert markup.attributes <= {"class", "aria-hidden"}


def test_html_has_no_inline_style_or_script_for_a_whole_document(leicestershire):
    html = render_html(leicestershire)
    assert "style=" not in html
    assert "<script" not in html
    assert markup_of(html).attributes <= {"class", "aria-hidden"}


def test_html_shows_both_references_the_tags_and_hidden_labels(leicestershire):
    html = render_html(leicestershire, include_same=False)
    block = re.search(
        r'<div class="accord-redline__para accord-redline__para--renumbered">'
        r'<h3[^>]*><span class="accord-redline__reference">9<.*?</div>',
        html,
    )
    assert block is not None
    assert "\u2192" in block.group(0)
    assert "</span>12</span>" in block.group(0)
    assert ">Renumbered</strong>" in block.group(0)
    assert ">Changed</strong>" in block.group(0)
    assert '<span class="govuk-visually-hidden">Inserted: </span>' in block.group(0)
    assert '<del class="accord-redline__del">' in block.group(0)
    assert "accord-redline__para--moved" in html
    assert "accord-redline__para--same" not in html
    assert "accord-redline__para--same" in render_html(leicestershire)


def test_heading_level_is_the_callers_and_only_a_real_one():
    redline = compare(paras(("1", "Members ask.")), paras(("1", "Members ask now.")))
    assert "<h2 " in render_html(redline, heading_level=2)
    with pytest.raises(ValueError, match="heading_level must be 2 to 6"):
        render_html(redline, heading_level=9)


def test_text_summary_counts_then_one_line_per_change(leicestershire):
    lines = render_text(leicestershire).splitlines()
    assert lines[0] == (
        "Changes: 5 changed, 41 renumbered, 1 moved, 208 inserted, 1 deleted; 7 unchanged."
    )
    assert len(lines) == 1 + sum(1 for c in leicestershire.changes if c.kind != "same")
    assert any(line.startswith("renumbered 5 \u2192 7: Members should not get") for line in lines)
    assert any(line.startswith("renumbered, changed 9 \u2192 12: ") for line in lines)
    assert "changed 3(a): The County Council is a democratically[---][+ +]elected" in lines[2]
    assert any(line.startswith("deleted 38: Collective issues may be raised") for line in lines)
    assert any(line.startswith("moved, changed 29 \u2192 30: ") for line in lines)


def test_text_keeps_hostile_text_literal_for_templates_to_escape(hostile):
    text = render_text(hostile)
    assert not isinstance(text, SafeString)
    assert HOSTILE in text
    rendered = Template("{{ text }}").render(Context({"text": text}))
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_text_cannot_be_made_to_fake_marks_lines_or_terminal_codes():
    old = paras(("1", "Members ask."))
    new = paras(("1", "Members ask [+now+] \x1b[31mred\x1b[0m\nsecond line \u202eevil"))
    text = render_text(compare(old, new))
    assert len(text.splitlines()) == 2
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\\[+now+\\]" in text


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_prints_hostile_text_as_text(hostile):
    pdf = render_pdf(hostile, title="Compare <b>1</b> & 2")
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert "<script>alert(1)</script>" in text
    assert '"onmouseover=alert(2) &amp; x' in text
    assert "Compare <b>1</b> & 2" in text
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == "Compare <b>1</b> & 2"


def test_pdf_has_title_date_counts_and_changes(leicestershire):
    text = _pdf_text(render_pdf(leicestershire, title="Leicestershire Part 5C: 2019 to 2025"))
    assert text.startswith("Leicestershire Part 5C: 2019 to 2025 Compared on ")
    assert "5 changed, 41 renumbered, 1 moved, 208 inserted, 1 deleted; 7 unchanged." in text
    assert "29 \u2192 30" in text or "29 30" in text
    assert "Collective issues may be raised" in text
