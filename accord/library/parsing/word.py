"""Reading a Word file (.docx) without trusting it.

A .docx is a zip of XML parts. Only the parts the text needs are opened: the relationships
that name them, the document's text (``word/document.xml``), its styles, numbering and
footnotes. Pictures and every other part are never expanded. Each part's size as the zip
declares it is checked before a byte is inflated, and the bytes really inflated are counted as
they come (a zip can lie about its sizes): past `WORD_MAX_PART_BYTES` for a part or
`WORD_MAX_TOTAL_BYTES` in all, the file is refused. The XML is read as a stream, one paragraph
at a time, each let go once read, by a parser that expands no entities and loads no DTD (a
part that declares a document type is refused: Word never writes one), with limits on nesting
and on the elements read and held.

Each paragraph becomes a line: headings by their style ("## 2 Roles"), Word's automatic
numbering written out ("3.", "(a)"), bullets as "- ", bold as ``**bold**``, struck-through
words as ``~~struck~~``, superscript numbers as footnote marks, and tracked changes kept as
such: an insertion as ``**inserted**``, a deletion as ``~~deleted~~``.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from accord.library.parsing.document import ParseWarning
from accord.library.parsing.limits import (
    WORD_MAX_BLOCK_ELEMENTS,
    WORD_MAX_PART_BYTES,
    WORD_MAX_PARTS,
    WORD_MAX_TOTAL_BYTES,
    WORD_MAX_XML_DEPTH,
    WORD_MAX_XML_ELEMENTS,
    LimitExceeded,
    NeedsWorker,
    Work,
    megabytes,
    number,
)
from accord.library.parsing.markup import wrap_runs

__all__ = ["DAMAGED", "read_docx"]

KIND = "The Word file"
DAMAGED = (
    "The Word file could not be opened: it may be damaged, or not really a .docx file. Open it "
    "in Word, save it again and upload that."
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADING_STYLE = re.compile(r"(?i)^heading\s*(\d)$")
_CHUNK = 64 * 1024
# A zip's central directory gives each entry 46 bytes and its name; no real entry needs this.
_DIRECTORY_BYTES_PER_PART = 512
_END_OF_DIRECTORY = b"PK\x05\x06"
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
# Word's numbering has nine levels and starts at most at 32767.
_LEVELS = 9
_LARGEST_START = 32767


class Damaged(Exception):
    """The file is not a Word file Accord can read."""


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def read_docx(data: bytes, work: Work) -> tuple[str, list[ParseWarning]]:
    """The lines of a Word file's text, and a warning if it has tracked changes; refused
    (`LimitExceeded`, or `Damaged`) beyond a limit or if it cannot be read."""
    try:
        package = _Package(data, work)
        parts = package.parts()
        styles = _styles(package, parts.get("styles", ""))
        numbering = _Numbering(package, parts.get("numbering", ""))
        reader = _WordReader(package, styles, numbering, work)
        lines = list(reader.lines(parts["document"], parts.get("footnotes", "")))
    except (LimitExceeded, NeedsWorker, Damaged):
        raise
    except Exception:
        # Whatever else a damaged zip or XML raises: zipfile, zlib, lxml, a bad number.
        stopped = work.stopped_by()
        if stopped is not None:
            raise stopped from None
        raise Damaged(DAMAGED) from None
    warnings = []
    if reader.tracked:
        warnings.append(
            ParseWarning(
                1,
                f"The Word file has {reader.tracked} tracked "
                f"change{'s' if reader.tracked != 1 else ''}"
                ": insertions were kept as **inserted** words and deletions as ~~deleted~~ words.",
            )
        )
    return "\n".join(lines), warnings


# --- the package ---------------------------------------------------------------------------


def _too_many_parts(count: int | None) -> str:
    held = f"holds {number(count)} parts" if count else f"holds more than {number(WORD_MAX_PARTS)}"
    return f"{KIND} {held}; the limit is {number(WORD_MAX_PARTS)}."


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose directory lists more parts than a Word file could need, before
    zipfile reads it into memory."""
    if not data.startswith(b"PK\x03\x04"):
        raise Damaged(DAMAGED)
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        raise Damaged(DAMAGED)
    entries, size = struct.unpack_from("<HI", data, at + 10)
    if entries > WORD_MAX_PARTS:
        raise LimitExceeded(_too_many_parts(entries if entries != 0xFFFF else None))
    if size > WORD_MAX_PARTS * _DIRECTORY_BYTES_PER_PART:
        raise LimitExceeded(_too_many_parts(None))


class _Package:
    """The parts of a .docx, opened one at a time, within the limits."""

    def __init__(self, data: bytes, work: Work) -> None:
        _check_directory(data)
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        infos = self.zip.infolist()
        if len(infos) > WORD_MAX_PARTS:
            raise LimitExceeded(_too_many_parts(len(infos)))
        self.infos = {info.filename: info for info in infos}
        self.work = work
        self.held = 0  # XML elements read since the last block was let go

    def parts(self) -> dict[str, str]:
        """The parts the text needs ("document", "styles", "numbering", "footnotes"), their
        sizes checked together before any of them is read."""
        main = next(
            (
                target
                for kind, target in self._relationships("", "_rels/.rels")
                if kind == "officeDocument"
            ),
            None,
        )
        if main is None or main not in self.infos:
            raise Damaged(DAMAGED)
        folder, name = posixpath.split(main)
        found = {"document": main}
        for kind, target in self._relationships(folder, f"{folder}/_rels/{name}.rels"):
            if kind in {"styles", "numbering", "footnotes"} and target in self.infos:
                found.setdefault(kind, target)
        sizes = {part: self.infos[part].file_size for part in found.values()}
        for part, size in sizes.items():
            if size > WORD_MAX_PART_BYTES:
                raise LimitExceeded(
                    f"{KIND}'s part {part} expands to {megabytes(size)}; the limit is "
                    f"{megabytes(WORD_MAX_PART_BYTES)} for each part."
                )
        total = sum(sizes.values())
        if total > WORD_MAX_TOTAL_BYTES:
            raise LimitExceeded(
                f"{KIND}'s parts expand to {megabytes(total)} in all; the limit is "
                f"{megabytes(WORD_MAX_TOTAL_BYTES)}."
            )
        if total > self.work.ceiling("expanded_bytes") or sizes[main] > self.work.share(
            WORD_MAX_PART_BYTES
        ):
            raise self.work.stop("", over_limit=False)
        return found

    def _relationships(self, folder: str, name: str) -> Iterator[tuple[str, str]]:
        """(type, part) of each relationship listed in part `name`, the type's last word."""
        if name not in self.infos:
            return
        for element in self.blocks(name):
            if element.tag != f"{{{_RELATIONSHIPS}}}Relationship":
                continue
            if element.get("TargetMode") == "External":
                continue
            target = str(element.get("Target", ""))
            kind = str(element.get("Type", "")).rsplit("/", 1)[-1]
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            yield kind, part

    def blocks(
        self, name: str, *, paragraphs: bool = False, progress: bool = False
    ) -> Iterator[Any]:
        """The blocks of part `name`, each once complete and let go once the caller is done
        with it: each child of the root, or with `paragraphs`, each ``w:p`` not inside
        another (everything outside a paragraph is let go once complete)."""
        stream = _PartStream(self, name, progress=progress)
        work = self.work
        depth = open_paragraphs = 0
        paragraph = _w("p")
        ceiling = work.ceiling("xml_elements")
        block_ceiling = work.share(WORD_MAX_BLOCK_ELEMENTS)
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        for event, element in _within_libxml_depth(events, work):
            if event == "start":
                depth += 1
                work.xml_elements += 1
                self.held += 1
                if depth > WORD_MAX_XML_DEPTH:
                    raise work.stop(_TOO_DEEP)
                if work.xml_elements > ceiling:
                    raise work.over(
                        "xml_elements",
                        f"{KIND} has more than {number(WORD_MAX_XML_ELEMENTS)} XML elements; "
                        f"the limit is {number(WORD_MAX_XML_ELEMENTS)}.",
                    )
                if self.held > block_ceiling:
                    raise work.stop(
                        f"{KIND} has a paragraph of more than {number(WORD_MAX_BLOCK_ELEMENTS)} "
                        f"XML elements; the limit is {number(WORD_MAX_BLOCK_ELEMENTS)}.",
                        over_limit=self.held > WORD_MAX_BLOCK_ELEMENTS,
                    )
                if paragraphs and element.tag == paragraph:
                    open_paragraphs += 1
                continue
            depth -= 1
            if not paragraphs:
                if depth == 1:
                    yield element
                    self._let_go(element)
            elif element.tag == paragraph:
                open_paragraphs -= 1
                if not open_paragraphs:
                    yield element
                    self._let_go(element)
            elif not open_paragraphs:
                self._let_go(element)

    def _let_go(self, element: Any) -> None:
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        self.held = 0


class _PartStream:
    """A part's bytes as the XML parser asks for them, counted as they are inflated."""

    def __init__(self, package: _Package, name: str, *, progress: bool) -> None:
        info = package.infos[name]
        if info.file_size > WORD_MAX_PART_BYTES:
            raise LimitExceeded(
                f"{KIND}'s part {name} expands to {megabytes(info.file_size)}; the limit is "
                f"{megabytes(WORD_MAX_PART_BYTES)} for each part."
            )
        self.name = name
        self.work = package.work
        self.handle = package.zip.open(info)
        self.size = max(info.file_size, 1)
        self.read_bytes = 0
        self.progress = progress
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(_CHUNK if size < 0 else min(size, _CHUNK))
        self.read_bytes += len(chunk)
        work = self.work
        work.expanded_bytes += len(chunk)
        if self.read_bytes > WORD_MAX_PART_BYTES:
            raise work.stop(
                f"{KIND}'s part {self.name} expands to more than "
                f"{megabytes(WORD_MAX_PART_BYTES)}; the limit is "
                f"{megabytes(WORD_MAX_PART_BYTES)} for each part."
            )
        if work.expanded_bytes > work.ceiling("expanded_bytes"):
            raise work.over(
                "expanded_bytes",
                f"{KIND}'s parts expand to more than {megabytes(WORD_MAX_TOTAL_BYTES)} in all; "
                f"the limit is {megabytes(WORD_MAX_TOTAL_BYTES)}.",
            )
        seen = self.tail + chunk
        if any(declaration in seen for declaration in _DECLARATIONS):
            raise work.stop(
                f"{KIND}'s part {self.name} declares a document type or XML entities, which "
                "Word never writes: it may be damaged or made to do harm. Open it in Word, "
                "save it again and upload that."
            )
        self.tail = chunk[-16:]
        if self.progress:
            work.report(self.read_bytes / self.size)
        return chunk


# --- styles and numbering ------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str
    numbering: tuple[str, int] | None


def _int(value: Any, default: int, *, most: int = _LARGEST_START) -> int:
    """A number from the XML, or `default` for anything that is not a short whole number."""
    text = str(value) if value is not None else ""
    if not text.isdigit() or len(text) > 6:
        return default
    return min(int(text), most)


def _numbering_of(properties: Any) -> tuple[str, int] | None:
    if properties is None:
        return None
    found = properties.find(_w("numPr"))
    if found is None:
        return None
    num = found.find(_w("numId"))
    if num is None:
        return None
    level = found.find(_w("ilvl"))
    ilvl = _int(level.get(_w("val")) if level is not None else 0, 0, most=_LEVELS - 1)
    return str(num.get(_w("val"))), ilvl


def _styles(package: _Package, part: str) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if not part:
        return styles
    for element in package.blocks(part):
        if element.tag != _w("style"):
            continue
        name = element.find(_w("name"))
        based_on = element.find(_w("basedOn"))
        styles[str(element.get(_w("styleId"), ""))] = _Style(
            name=str(name.get(_w("val"), "")) if name is not None else "",
            based_on=str(based_on.get(_w("val"), "")) if based_on is not None else "",
            numbering=_numbering_of(element.find(_w("pPr"))),
        )
    return styles


class _Numbering:
    """Word's automatic numbering, written out as the reader sees it: "3.", "1.2", "(a)"."""

    def __init__(self, package: _Package, part: str) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        if not part:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        nums: list[tuple[str, str, dict[int, int]]] = []
        for element in package.blocks(part):
            if element.tag == _w("abstractNum"):
                levels: dict[int, tuple[str, str, int]] = {}
                for level in element.iter(_w("lvl")):
                    ilvl = _int(level.get(_w("ilvl")), 0, most=_LEVELS - 1)
                    fmt = level.find(_w("numFmt"))
                    text = level.find(_w("lvlText"))
                    start = level.find(_w("start"))
                    levels[ilvl] = (
                        str(fmt.get(_w("val"))) if fmt is not None else "decimal",
                        str(text.get(_w("val"))) if text is not None else f"%{ilvl + 1}.",
                        _int(start.get(_w("val")), 1) if start is not None else 1,
                    )
                abstract[str(element.get(_w("abstractNumId")))] = levels
            elif element.tag == _w("num"):
                reference = element.find(_w("abstractNumId"))
                overrides: dict[int, int] = {}
                for override in element.iter(_w("lvlOverride")):
                    start = override.find(_w("startOverride"))
                    if start is not None:
                        overrides[_int(override.get(_w("ilvl")), 0, most=_LEVELS - 1)] = _int(
                            start.get(_w("val")), 1
                        )
                nums.append(
                    (
                        str(element.get(_w("numId"))),
                        str(reference.get(_w("val"))) if reference is not None else "",
                        overrides,
                    )
                )
        for num_id, abstract_id, overrides in nums:
            for ilvl, (fmt, text, start) in abstract.get(abstract_id, {}).items():
                self.formats[(num_id, ilvl)] = (fmt, text, overrides.get(ilvl, start))

    def label(self, paragraph: Any, from_style: tuple[str, int] | None) -> str:
        num_id, level = from_style if from_style else ("", 0)
        found = paragraph.find(f"{_w('pPr')}/{_w('numPr')}")
        if found is not None:
            num = found.find(_w("numId"))
            ilvl = found.find(_w("ilvl"))
            if num is not None:
                num_id = str(num.get(_w("val")))
            if ilvl is not None:
                level = _int(ilvl.get(_w("val")), 0, most=_LEVELS - 1)
        if not num_id or num_id == "0" or (num_id, level) not in self.formats:
            return ""
        fmt, text, _ = self.formats[(num_id, level)]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= level:
            depth = len(counters)
            counters.append(self.formats.get((num_id, depth), ("", "", 1))[2] - 1)
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = self.formats.get((num_id, deeper), ("", "", 1))[2] - 1
        del counters[level + 1 :]

        def value(match: re.Match[str]) -> str:
            depth = int(match.group(1)) - 1
            if depth >= len(counters):
                return ""
            depth_format = self.formats.get((num_id, depth), ("decimal", "", 1))[0]
            return _format_number(max(counters[depth], 1), depth_format)

        return re.sub(r"%([1-9])", value, text[:200]).strip()


# --- the text ------------------------------------------------------------------------------


class _WordReader:
    """The lines of a Word document: a paragraph a line, a blank line between paragraphs."""

    def __init__(
        self, package: _Package, styles: dict[str, _Style], numbering: _Numbering, work: Work
    ) -> None:
        self.package = package
        self.styles = styles
        self.numbering = numbering
        self.work = work
        self.tracked = 0

    def lines(self, document: str, footnotes: str) -> Iterator[str]:
        for paragraph in self.package.blocks(document, paragraphs=True, progress=True):
            if not _in_body(paragraph):
                continue
            self.work.add_paragraph(KIND)
            for line in self._paragraph(paragraph):
                self.work.add_text(KIND, len(line) + 1, 1)
                yield line
        notes = list(self._footnotes(footnotes))
        if notes:
            yield "---"
            yield ""
            for mark, words in notes:
                line = f"<sup>{mark}</sup> {words}"
                self.work.add_text(KIND, len(line) + 1, 2)
                yield line
                yield ""

    def _paragraph(self, paragraph: Any) -> Iterator[str]:
        style_id = self._style_id(paragraph)
        level = self._heading_level(paragraph, style_id)
        runs = list(self._runs(paragraph, "", in_heading=level > 0, depth=0))
        words = wrap_runs(runs)
        label = self.numbering.label(paragraph, self._style_numbering(style_id))
        if not words.strip() and not label:
            yield ""
            return
        if label:
            words = f"{label} {words.lstrip()}"
        for index, line in enumerate(words.split("\n")):
            if level and index == 0:
                yield f"{'#' * min(level, 6)} {line.strip()}"
            else:
                yield line.rstrip()
        yield ""

    def _style_id(self, paragraph: Any) -> str:
        found = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        return str(found.get(_w("val"))) if found is not None else ""

    def _style_chain(self, style_id: str) -> Iterator[_Style]:
        style = self.styles.get(style_id)
        seen = 0
        while style is not None and seen < 10:
            yield style
            style = self.styles.get(style.based_on) if style.based_on else None
            seen += 1

    def _heading_level(self, paragraph: Any, style_id: str) -> int:
        for style in self._style_chain(style_id):
            if style.name.lower() == "title":
                return 1
            heading = _HEADING_STYLE.match(style.name)
            if heading:
                return int(heading.group(1))
        outline = paragraph.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        if outline is not None:
            value = _int(outline.get(_w("val")), -1)
            if value >= 0:
                return min(value + 1, 9)
        return 0

    def _style_numbering(self, style_id: str) -> tuple[str, int] | None:
        for style in self._style_chain(style_id):
            if style.numbering is not None:
                return style.numbering
        return None

    def _runs(
        self, element: Any, change: str, *, in_heading: bool, depth: int
    ) -> Iterator[tuple[str, str]]:
        """(markup, words) for each run under `element`: markup "ins", "del", "b", "s" or ""."""
        if depth > WORD_MAX_XML_DEPTH:
            return  # cannot happen: the parser stops deeper XML
        for child in element.iterchildren():
            tag = child.tag
            if tag == _w("r"):
                yield from self._run(child, change, in_heading=in_heading)
            elif tag in (_w("ins"), _w("moveTo")):
                self.tracked += 1
                yield from self._runs(child, "ins", in_heading=in_heading, depth=depth + 1)
            elif tag in (_w("del"), _w("moveFrom")):
                self.tracked += 1
                yield from self._runs(child, "del", in_heading=in_heading, depth=depth + 1)
            elif tag in (_w("hyperlink"), _w("smartTag"), _w("customXml"), _w("fldSimple")):
                yield from self._runs(child, change, in_heading=in_heading, depth=depth + 1)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    yield from self._runs(content, change, in_heading=in_heading, depth=depth + 1)

    def _run(self, run: Any, change: str, *, in_heading: bool) -> Iterator[tuple[str, str]]:
        properties = run.find(_w("rPr"))
        markup = change
        if not markup and properties is not None and not in_heading:
            if _on(properties.find(_w("strike"))) or _on(properties.find(_w("dstrike"))):
                markup = "s"
            elif _on(properties.find(_w("b"))):
                markup = "b"
        raised = properties.find(_w("vertAlign")) if properties is not None else None
        if raised is not None and raised.get(_w("val")) == "superscript":
            words = "".join(t.text or "" for t in run.iter(_w("t"))).strip()
            if 0 < len(words) <= 4 and words.isalnum():
                # A footnote number typed as a superscript: a footnote mark.
                yield "", f"<sup>{words}</sup>"
                return
        for child in run.iterchildren():
            tag = child.tag
            if tag in (_w("t"), _w("delText")):
                yield markup, child.text or ""
            elif tag == _w("tab"):
                yield markup, " "
            elif tag in (_w("br"), _w("cr")):
                yield "", "\n"
            elif tag == _w("noBreakHyphen"):
                yield markup, "-"
            elif tag == _w("footnoteReference"):
                yield "", f"<sup>{str(child.get(_w('id')))[:12]}</sup>"

    def _footnotes(self, part: str) -> Iterator[tuple[str, str]]:
        if not part:
            return
        for note in self.package.blocks(part):
            if note.tag != _w("footnote"):
                continue
            mark = str(note.get(_w("id"), ""))[:12]
            if note.get(_w("type")) in {"separator", "continuationSeparator"} or not mark:
                continue
            words = " ".join(
                "".join(t.text or "" for t in paragraph.iter(_w("t"))).strip()
                for paragraph in note.iter(_w("p"))
            )
            if words.strip():
                yield mark, " ".join(words.split())


def _in_body(paragraph: Any) -> bool:
    """Whether a paragraph is in the document's body: a paragraph of it, or in one of its
    tables or content controls (not a header, a text box or anything else)."""
    body = _w("body")
    block = paragraph
    parent = block.getparent()
    while parent is not None and parent.tag != body:
        block, parent = parent, parent.getparent()
    return parent is not None and block.tag in {_w("p"), _w("tbl"), _w("sdt")}


def _on(flag: Any) -> bool:
    return flag is not None and str(flag.get(_w("val"), "true")).lower() not in {
        "0",
        "false",
        "off",
    }


def _format_number(value: int, fmt: str) -> str:
    if fmt in {"lowerLetter", "upperLetter"}:
        letters = ""
        while value > 0:
            value, remainder = divmod(value - 1, 26)
            letters = chr(97 + remainder) + letters
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in {"lowerRoman", "upperRoman"}:
        roman = _roman(value)
        return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    numerals = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]  # fmt: skip
    out = ""
    for amount, numeral in numerals:
        while value >= amount:
            out, value = out + numeral, value - amount
    return out


_TOO_DEEP = (
    f"{KIND}'s XML is nested more than {WORD_MAX_XML_DEPTH} levels deep; the limit is "
    f"{WORD_MAX_XML_DEPTH}."
)


def _within_libxml_depth(events: Iterator[Any], work: Work) -> Iterator[Any]:
    """The parser's events; libxml2 refuses nesting deeper than its own limit (256) before it
    hands over any event past it, which is the same refusal as ours, said in our words."""
    try:
        yield from events
    except etree.XMLSyntaxError as failed:
        if "Excessive depth" in str(failed):
            raise work.stop(_TOO_DEEP) from None
        raise
