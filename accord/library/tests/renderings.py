"""The protocol documents as a council would publish them: an HTML page printed to PDF
(WeasyPrint), and a Word file (python-docx) with real tracked changes.

Both start from the same blocks of the document's text: headings ("## 3 Access"), bullets
("- 1.1 ..."), paragraphs and rules. `reflow` joins a paragraph's hard-wrapped lines into one,
as the PDF that 002 was extracted from showed them; a line that starts with a number or an
item mark ("24.", "(b)") starts a new paragraph either way.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^(?:[-*\u2022]\s+|o\s+(?=[A-Z]))(.*)$")
_STARTS = re.compile(r"^(?:\*\*)?(?:\d+(?:\.\d+)*\.?|\([a-z]{1,5}\))(?:\*\*)?\s")
_INLINE = re.compile(r"(\*\*.+?\*\*|~~.+?~~|<sup>\w+</sup>|\[[^\]]*\]\([^)]*\))")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "bullet", "paragraph", "rule"
    text: str
    level: int = 0


def blocks(text: str, *, reflow: bool = False) -> list[Block]:
    found: list[Block] = []
    open_paragraph = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            open_paragraph = False
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            found.append(
                Block("heading", heading.group(2).replace("**", ""), len(heading.group(1)))
            )
            open_paragraph = False
        elif re.fullmatch(r"-{3,}", line):
            found.append(Block("rule", ""))
            open_paragraph = False
        elif bullet:
            found.append(Block("bullet", bullet.group(1)))
            open_paragraph = reflow
        elif reflow and open_paragraph and not _STARTS.match(line):
            last = found[-1]
            glued = re.search(r"[a-z]-$", last.text) and line[:1].islower()  # "e-" + "mail"
            found[-1] = Block(last.kind, last.text + ("" if glued else " ") + line, last.level)
        else:
            found.append(Block("paragraph", line))
            open_paragraph = reflow
    return found


def _inline_html(text: str) -> str:
    out = []
    for piece in _INLINE.split(text):
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.append(f"<strong>{html.escape(piece[2:-2])}</strong>")
        elif piece.startswith("~~") and piece.endswith("~~") and len(piece) > 4:
            out.append(f"<del>{html.escape(piece[2:-2])}</del>")
        elif piece.startswith("<sup>"):
            out.append(f"<sup>{html.escape(piece[5:-6])}</sup>")
        elif piece.startswith("[") and "](" in piece:
            out.append(html.escape(piece[1 : piece.index("](")]))
        else:
            out.append(html.escape(piece))
    return "".join(out)


def to_html(text: str, *, reflow: bool = False, header: str = "") -> str:
    body: list[str] = []
    in_list = False
    for block in blocks(text, reflow=reflow):
        if block.kind == "bullet" and not in_list:
            body.append("<ul>")
            in_list = True
        elif block.kind != "bullet" and in_list:
            body.append("</ul>")
            in_list = False
        if block.kind == "heading":
            level = min(block.level, 3)
            body.append(f"<h{level}>{_inline_html(block.text)}</h{level}>")
        elif block.kind == "bullet":
            body.append(f"<li>{_inline_html(block.text)}</li>")
        elif block.kind == "rule":
            body.append("<hr>")
        else:
            body.append(f"<p>{_inline_html(block.text)}</p>")
    if in_list:
        body.append("</ul>")
    page = (
        "@page { size: A4; margin: 2.5cm 2cm;"
        f' @top-center {{ content: "{header}"; font-size: 9pt; }}'
        ' @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; }'
        " }"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{page}"
        " body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; }"
        " p, li { margin: 0 0 0.6em; } h1, h2, h3 { margin: 0.8em 0 0.4em; }"
        f"</style></head><body>{''.join(body)}</body></html>"
    )


def to_pdf(text: str, *, reflow: bool = False, header: str = "") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=to_html(text, reflow=reflow, header=header)).write_pdf())


# --- Word ----------------------------------------------------------------------------------


def _tracked(tag: str, change_id: int) -> Any:
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(change_id))
    element.set(qn("w:author"), "Monitoring Officer")
    element.set(qn("w:date"), "2025-01-01T00:00:00Z")
    return element


def _run(text: str, *, tag: str = "w:t", bold: bool = False, superscript: bool = False):
    run = OxmlElement("w:r")
    if bold or superscript:
        properties = OxmlElement("w:rPr")
        if bold:
            properties.append(OxmlElement("w:b"))
        if superscript:
            align = OxmlElement("w:vertAlign")
            align.set(qn("w:val"), "superscript")
            properties.append(align)
        run.append(properties)
    words = OxmlElement(tag)
    words.set(qn("xml:space"), "preserve")
    words.text = text
    run.append(words)
    return run


class _Changes:
    def __init__(self, insertions: Sequence[str]) -> None:
        self.insertions = list(insertions)
        self.next_id = 1

    def take(self) -> int:
        self.next_id += 1
        return self.next_id


def _fill(paragraph, text: str, changes: _Changes) -> None:
    """The paragraph's runs: bold as bold, struck words as a tracked deletion (w:del), and
    words named in `changes.insertions` that follow a deletion as a tracked insertion."""
    element = paragraph._p
    pieces = _INLINE.split(text)
    after_deletion = False
    for piece in pieces:
        if not piece:
            continue
        if piece.startswith("~~") and piece.endswith("~~") and len(piece) > 4:
            deletion = _tracked("w:del", changes.take())
            deletion.append(_run(piece[2:-2], tag="w:delText"))
            element.append(deletion)
            after_deletion = True
            continue
        if after_deletion:
            for phrase in changes.insertions:
                if piece.startswith(phrase):
                    insertion = _tracked("w:ins", changes.take())
                    insertion.append(_run(phrase))
                    element.append(insertion)
                    changes.insertions.remove(phrase)
                    piece = piece[len(phrase) :]
                    break
        after_deletion = False
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            element.append(_run(piece[2:-2], bold=True))
        elif piece.startswith("<sup>"):
            element.append(_run(piece[5:-6], superscript=True))
        elif piece.startswith("[") and "](" in piece:
            element.append(_run(piece[1 : piece.index("](")]))
        else:
            element.append(_run(piece))


def to_docx(text: str, *, reflow: bool = False, insertions: Sequence[str] = ()) -> bytes:
    """A Word file of the document. `insertions`: words that follow a deletion, to mark as
    tracked insertions (the rest of a replacement)."""
    document = docx.Document()
    changes = _Changes(insertions)
    for _ in _paragraphs(document, blocks(text, reflow=reflow), changes):
        pass
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs(document: Any, found: list[Block], changes: _Changes) -> Iterator[Any]:
    for block in found:
        if block.kind == "heading":
            yield document.add_heading(block.text, level=min(block.level, 4))
        elif block.kind == "bullet":
            paragraph = document.add_paragraph(style="List Bullet")
            _fill(paragraph, block.text, changes)
            yield paragraph
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph()
            _fill(paragraph, block.text, changes)
            yield paragraph
