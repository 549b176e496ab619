"""Reading an uploaded file into the text the parser reads: `read_upload`.

Plain text and Markdown are decoded (UTF-8, with or without a byte-order mark; UTF-16 with
one; otherwise Windows-1252, with a warning). A Word file is read by
`accord.library.parsing.word`, a PDF by `accord.library.parsing.pdf`. Anything else, anything
beyond the limits of `accord.library.parsing.limits`, a file whose contents are not what its
name says, and anything that cannot be read is refused with a message on the field "file" for
the person who uploaded it.
"""

from __future__ import annotations

import re

from accord.core.errors import FieldError, ValidationFailed
from accord.library.parsing.document import ParseWarning, SourceText
from accord.library.parsing.limits import (
    MAX_CHARACTERS,
    MAX_FILE_BYTES,
    MAX_LINES,
    LimitExceeded,
    NeedsWorker,
    Work,
    file_too_big,
    text_too_long,
    too_many_lines,
)
from accord.profiles.paragraphs import LINE_BREAKS

__all__ = ["MAX_BYTES", "read_upload"]

MAX_BYTES = MAX_FILE_BYTES
_FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "docx": "docx", "pdf": "pdf"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# What a file's first bytes say it is: (signature, what it is, the extension it should have).
_SIGNATURES = (
    (b"%PDF", "a PDF", "pdf"),
    (b"PK\x03\x04", "a Word file or another zip archive", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word (.doc) or other Office file", ""),
    (b"\x7fELF", "a program", ""),
    (b"MZ\x90\x00", "a program", ""),
)
_WHAT = {"txt": "a text file", "md": "a text file", "docx": "a Word file", "pdf": "a PDF"}


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("file", message)])


def read_upload(name: str, data: bytes, *, work: Work | None = None) -> SourceText:
    """The text of the uploaded file `name`, or `ValidationFailed` on the field "file".

    `work` counts what the reading takes (a new one if not given). Reading in the foreground
    (`Work(foreground=True)`) stops with `NeedsWorker` once past its share of a limit."""
    work = work if work is not None else Work()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    source_format = _FORMATS.get(extension)
    if source_format is None:
        if extension == "doc":
            raise _refuse(
                "The file is an old-style Word document (.doc). Save it as a .docx file in Word "
                "and upload that."
            )
        raise _refuse("The file must be a text (.txt), Markdown (.md), Word (.docx) or PDF file.")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(file_too_big(len(data)))
    if not data.strip():
        raise _refuse("The file is empty.")
    _check_contents(extension, source_format, data)
    try:
        if source_format == "docx":
            from accord.library.parsing.word import Damaged, read_docx

            try:
                text, warnings = read_docx(data, work)
            except Damaged as damaged:
                raise _refuse(str(damaged)) from None
        elif source_format == "pdf":
            from accord.library.parsing.pdf import read_pdf

            text, warnings = read_pdf(data, work)
        else:
            text, warnings = _decode(data)
    except LimitExceeded as exceeded:
        raise _refuse(exceeded.message) from None
    text = normalise(text)
    _check_length(text, work, _KINDS.get(source_format, "The file"))
    if not text.strip():
        raise _refuse("The file has no text in it.")
    work.report(1.0)
    return SourceText(text=text, format=source_format, warnings=tuple(warnings))


_KINDS = {"docx": "The Word file", "pdf": "The PDF"}


def _check_contents(extension: str, source_format: str, data: bytes) -> None:
    """Refuse a file whose first bytes say it is something other than its name says."""
    for signature, what, proper in _SIGNATURES:
        if data.startswith(signature) and proper != source_format:
            advice = (
                f"Rename it to end in .{proper} and upload it again."
                if proper
                else "Upload the protocol as a Word file (.docx), PDF, Markdown or text file."
            )
            raise _refuse(
                f"The file is named .{extension} but is {what}, not {_WHAT[source_format]}. "
                f"{advice}"
            )


def _check_length(text: str, work: Work, kind: str) -> None:
    """The text's characters and lines, within the limits (or, in the foreground, its share)."""
    lines = text.count("\n") + 1
    if len(text) > MAX_CHARACTERS:
        raise _refuse(text_too_long(kind, len(text)))
    if lines > MAX_LINES:
        raise _refuse(too_many_lines(kind, lines))
    work.characters, work.lines = max(work.characters, len(text)), max(work.lines, lines)
    if len(text) > work.ceiling("characters") or lines > work.ceiling("lines"):
        raise NeedsWorker()


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
