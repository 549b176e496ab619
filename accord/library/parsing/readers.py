"""Reading an uploaded file into the text the parser reads: `read_upload`.

Plain text and Markdown are decoded (UTF-8, with or without a byte-order mark; UTF-16 with
one; otherwise Windows-1252, with a warning). A Word file's paragraphs become lines, with its
headings marked by their style ("## 2 Roles"), its automatic numbering written out ("3.",
"(a)"), bold and struck-through words marked ``**bold**`` and ``~~struck~~``, and its tracked
changes kept as such: an insertion as ``**inserted**``, a deletion as ``~~deleted~~``. A PDF's
text is taken from where each line was drawn (`accord.library.parsing.pdf`). Anything else,
anything too big, and anything that cannot be read is refused with a message for the person
who uploaded it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from accord.core.errors import FieldError, ValidationFailed
from accord.library.parsing.document import ParseWarning, SourceText
from accord.library.parsing.markup import wrap_runs
from accord.profiles.paragraphs import LINE_BREAKS

__all__ = ["MAX_BYTES", "read_upload"]

MAX_BYTES = 10 * 1024 * 1024
_FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "docx": "docx", "pdf": "pdf"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("file", message)])


def read_upload(name: str, data: bytes) -> SourceText:
    """The text of the uploaded file `name`, or `ValidationFailed` on the field "file"."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    source_format = _FORMATS.get(extension)
    if source_format is None:
        if extension == "doc":
            raise _refuse(
                "The file is an old-style Word document (.doc). Save it as a .docx file in Word "
                "and upload that."
            )
        raise _refuse("The file must be a text (.txt), Markdown (.md), Word (.docx) or PDF file.")
    if len(data) > MAX_BYTES:
        raise _refuse(f"The file is {len(data) / 1024 / 1024:.1f} MB; it must be 10 MB or smaller.")
    if not data.strip():
        raise _refuse("The file is empty.")
    if source_format == "docx":
        text, warnings = _read_docx(data)
    elif source_format == "pdf":
        from accord.library.parsing.pdf import read_pdf

        text, warnings = read_pdf(data)
    else:
        text, warnings = _decode(data)
    text = normalise(text)
    if not text.strip():
        raise _refuse("The file has no text in it.")
    return SourceText(text=text, format=source_format, warnings=tuple(warnings))


def normalise(text: str) -> str:
    """One kind of line break (so line numbers count the way an editor does), no control
    characters, no stray byte-order marks."""
    text = LINE_BREAKS.sub("\n", text)
    text = text.replace("\ufeff", "")
    return _CONTROL.sub("", text)


def _decode(data: bytes) -> tuple[str, list[ParseWarning]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _refuse("The file could not be read as text: its UTF-16 is damaged.") from None
    if b"\x00" in data[:4096]:
        raise _refuse("The file is not a text file: it looks like a program or an image.")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as failed:
        where = data[: failed.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _refuse(
            "The file could not be read as text: it is neither UTF-8 nor Windows-1252. Save it "
            "as UTF-8 and upload it again."
        ) from None
    return text, [
        ParseWarning(
            where,
            "The file is not UTF-8, so it was read as Windows-1252 (the older Windows "
            "encoding). Check that quotation marks, dashes and accents look right.",
        )
    ]


# --- Word ----------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING_STYLE = re.compile(r"(?i)^heading\s*(\d)$")


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _read_docx(data: bytes) -> tuple[str, list[ParseWarning]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    damaged = (
        "The Word file could not be opened: it may be damaged, or not really a .docx file. "
        "Open it in Word, save it again and upload that."
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(damaged)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
        raise _refuse(damaged) from None
    except Exception:
        raise _refuse(damaged) from None
    try:
        reader = _WordReader(document)
        lines = list(reader.lines())
    except Exception:
        raise _refuse(damaged) from None
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


class _WordReader:
    """The lines of a Word document: a paragraph a line, a blank line between paragraphs."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.tracked = 0
        self.numbering = _Numbering(document)
        self.styles: dict[str, Any] = {}
        try:
            for style in document.styles:
                self.styles[style.style_id] = style
        except Exception:
            self.styles = {}

    def lines(self) -> Iterator[str]:
        body = self.document.element.body
        for block in body.iterchildren():
            if block.tag == _w("p"):
                yield from self._paragraph(block)
            elif block.tag == _w("tbl") or block.tag == _w("sdt"):
                for paragraph in block.iter(_w("p")):
                    yield from self._paragraph(paragraph)
        notes = list(self._footnotes())
        if notes:
            yield "---"
            yield ""
            for mark, words in notes:
                yield f"<sup>{mark}</sup> {words}"
                yield ""

    def _paragraph(self, paragraph: Any) -> Iterator[str]:
        style_id = self._style_id(paragraph)
        level = self._heading_level(paragraph, style_id)
        runs = list(self._runs(paragraph, "", in_heading=level > 0))
        words = wrap_runs(runs)
        label = self.numbering.label(paragraph, style_id, self._style_numbering(style_id))
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

    def _heading_level(self, paragraph: Any, style_id: str) -> int:
        style = self.styles.get(style_id)
        names = []
        seen = 0
        while style is not None and seen < 10:
            names.append(style.name or "")
            style = style.base_style
            seen += 1
        for name in names:
            if name.lower() == "title":
                return 1
            heading = _HEADING_STYLE.match(name)
            if heading:
                return int(heading.group(1))
        outline = paragraph.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        if outline is not None and str(outline.get(_w("val"), "")).isdigit():
            return min(int(outline.get(_w("val"))) + 1, 9)
        return 0

    def _style_numbering(self, style_id: str) -> tuple[str, int] | None:
        style = self.styles.get(style_id)
        seen = 0
        while style is not None and seen < 10:
            found = style.element.find(f"{_w('pPr')}/{_w('numPr')}")
            if found is not None:
                num = found.find(_w("numId"))
                level = found.find(_w("ilvl"))
                if num is not None:
                    return str(num.get(_w("val"))), int(
                        level.get(_w("val"), 0) if level is not None else 0
                    )
            style = style.base_style
            seen += 1
        return None

    def _runs(self, element: Any, change: str, *, in_heading: bool) -> Iterator[tuple[str, str]]:
        """(markup, words) for each run under `element`: markup "ins", "del", "b", "s" or ""."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == _w("r"):
                yield from self._run(child, change, in_heading=in_heading)
            elif tag in (_w("ins"), _w("moveTo")):
                self.tracked += 1
                yield from self._runs(child, "ins", in_heading=in_heading)
            elif tag in (_w("del"), _w("moveFrom")):
                self.tracked += 1
                yield from self._runs(child, "del", in_heading=in_heading)
            elif tag in (_w("hyperlink"), _w("smartTag"), _w("customXml"), _w("fldSimple")):
                yield from self._runs(child, change, in_heading=in_heading)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    yield from self._runs(content, change, in_heading=in_heading)

    def _run(self, run: Any, change: str, *, in_heading: bool) -> Iterator[tuple[str, str]]:
        properties = run.find(_w("rPr"))
        markup = change
        if not markup and properties is not None and not in_heading:
            if _on(properties.find(_w("strike"))) or _on(properties.find(_w("dstrike"))):
                markup = "s"
            elif _on(properties.find(_w("b"))):
                markup = "b"
        raised = properties is not None and properties.find(_w("vertAlign")) is not None
        if raised and properties.find(_w("vertAlign")).get(_w("val")) == "superscript":
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
                yield "", f"<sup>{child.get(_w('id'))}</sup>"

    def _footnotes(self) -> Iterator[tuple[str, str]]:
        part = None
        for relationship in self.document.part.rels.values():
            if relationship.reltype.endswith("/footnotes") and not relationship.is_external:
                part = relationship.target_part
        if part is None:
            return
        root = etree.fromstring(
            part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
        for note in root.iter(_w("footnote")):
            mark = str(note.get(_w("id"), ""))
            if note.get(_w("type")) in {"separator", "continuationSeparator"} or not mark:
                continue
            words = " ".join(
                "".join(t.text or "" for t in paragraph.iter(_w("t"))).strip()
                for paragraph in note.iter(_w("p"))
            )
            if words.strip():
                yield mark, " ".join(words.split())


def _on(flag: Any) -> bool:
    return flag is not None and str(flag.get(_w("val"), "true")).lower() not in {
        "0",
        "false",
        "off",
    }


class _Numbering:
    """Word's automatic numbering, written out as the reader sees it: "3.", "1.2", "(a)"."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:
            return
        abstract: dict[str, Any] = {
            str(a.get(_w("abstractNumId"))): a for a in root.iter(_w("abstractNum"))
        }
        for num in root.iter(_w("num")):
            num_id = str(num.get(_w("numId")))
            reference = num.find(_w("abstractNumId"))
            definition = (
                abstract.get(str(reference.get(_w("val")))) if reference is not None else None
            )
            if definition is None:
                continue
            overrides = {int(o.get(_w("ilvl"), 0)): o for o in num.iter(_w("lvlOverride"))}
            for level in definition.iter(_w("lvl")):
                ilvl = int(level.get(_w("ilvl"), 0))
                fmt = level.find(_w("numFmt"))
                text = level.find(_w("lvlText"))
                start = level.find(_w("start"))
                start_value = int(start.get(_w("val"), 1)) if start is not None else 1
                override = overrides.get(ilvl)
                if override is not None:
                    start_override = override.find(_w("startOverride"))
                    if start_override is not None:
                        start_value = int(start_override.get(_w("val"), start_value))
                self.formats[(num_id, ilvl)] = (
                    str(fmt.get(_w("val"))) if fmt is not None else "decimal",
                    str(text.get(_w("val"))) if text is not None else f"%{ilvl + 1}.",
                    start_value,
                )

    def label(self, paragraph: Any, style_id: str, from_style: tuple[str, int] | None) -> str:
        found = paragraph.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id, level = from_style if from_style else ("", 0)
        if found is not None:
            num = found.find(_w("numId"))
            ilvl = found.find(_w("ilvl"))
            if num is not None:
                num_id = str(num.get(_w("val")))
            if ilvl is not None:
                level = int(ilvl.get(_w("val"), 0))
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

        return re.sub(r"%([1-9])", value, text).strip()


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
