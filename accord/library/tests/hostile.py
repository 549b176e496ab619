"""Hostile files, made here and never kept in the repository, and a probe that reads each one
the way an upload is read and measures what that took.

`build(directory)` writes every file with a manifest. `python -m accord.library.tests.hostile
DIRECTORY` reads each in a process forked for it alone, so what one file leaves behind never
hides what another costs, and prints, for each, whether it was read or refused (with the
message and its fields), the peak memory the reading took above what the process held before
(peak resident set size, or tracemalloc's peak where the system cannot say), and the work it
counted (`accord.library.parsing.limits.Work`). A file that would expand without bound meets a
ceiling on the address space in its process, so a regression fails the test rather than the
machine.
"""

from __future__ import annotations

import gc
import io
import json
import os
import resource
import struct
import sys
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARAGRAPH = (
    '<w:p><w:r><w:t xml:space="preserve">{number}. Officers will answer a councillor\'s '
    "enquiry within five working days.</w:t></w:r></w:p>"
)
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="png" ContentType="image/png"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELATIONSHIPS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
NO_RELATIONSHIPS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
)
PICTURE_RELATIONSHIPS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/image" Target="media/image1.png"/></Relationships>'
)
DOCUMENT_START = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
).encode()
DOCUMENT_END = b"</w:body></w:document>"


# --- Word ----------------------------------------------------------------------------------


def _docx(
    path: Path,
    document: Callable[[Any], None],
    *,
    extra: Callable[[Any], None] | None = None,
    relationships: bytes = NO_RELATIONSHIPS,
) -> None:
    """A .docx with the parts Word needs; `document` writes word/document.xml to a stream,
    `extra` adds parts, `relationships` says which parts the document uses."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
        package.writestr("word/_rels/document.xml.rels", relationships)
        with package.open("word/document.xml", "w") as stream:
            document(stream)
        if extra is not None:
            extra(package)


def _paragraphs(count: int, start: int = 1) -> bytes:
    return "".join(PARAGRAPH.format(number=n) for n in range(start, start + count)).encode()


def word_picture_of_zeros(path: Path, size: int = 256 * MIB) -> None:
    """A valid file whose one paragraph shows a picture: a part of `size` zero bytes."""

    def document(stream: Any) -> None:
        stream.write(DOCUMENT_START + _paragraphs(1))
        stream.write(
            b'<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/'
            b'drawingml/2006/main" r:embed="rId2"/></w:drawing></w:r></w:p>' + DOCUMENT_END
        )

    def picture(package: Any) -> None:
        zeros = bytes(MIB)
        with package.open("word/media/image1.png", "w") as stream:
            for _ in range(size // MIB):
                stream.write(zeros)

    _docx(path, document, extra=picture, relationships=PICTURE_RELATIONSHIPS)


def word_file_of_size(size: int) -> bytes:
    """A valid Word file of exactly `size` bytes: three numbered paragraphs and a picture,
    stored as it is, that makes up the rest (pictures are never read)."""

    def build(picture: int) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", CONTENT_TYPES)
            package.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
            package.writestr("word/_rels/document.xml.rels", PICTURE_RELATIONSHIPS)
            package.writestr(
                "word/document.xml",
                DOCUMENT_START
                + _paragraphs(3)
                + b'<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/'
                b'drawingml/2006/main" r:embed="rId2"/></w:drawing></w:r></w:p>' + DOCUMENT_END,
            )
            package.writestr(
                "word/media/image1.png", bytes(picture), compress_type=zipfile.ZIP_STORED
            )
        return buffer.getvalue()

    overhead = len(build(0))
    made = build(size - overhead)
    assert len(made) == size, (len(made), size)
    return made


def word_text_of(path: Path, size: int) -> None:
    """A file whose word/document.xml is `size` bytes of numbered paragraphs."""
    block = _paragraphs(8_000)

    def document(stream: Any) -> None:
        stream.write(DOCUMENT_START)
        written = len(DOCUMENT_START) + len(DOCUMENT_END)
        while written + len(block) <= size:
            stream.write(block)
            written += len(block)
        stream.write(DOCUMENT_END)

    _docx(path, document)


def word_lying_about_its_size(path: Path, real: int = 50 * MIB, declared: int = 10_000) -> None:
    """A file whose zip says word/document.xml is `declared` bytes; it expands to `real`."""
    word_text_of(path, real)
    data = bytearray(path.read_bytes())
    for offset, size_at in _entries(data, "word/document.xml"):
        struct.pack_into("<I", data, offset + size_at, declared)
    path.write_bytes(bytes(data))


def _entries(data: bytearray, name: str) -> Iterator[tuple[int, int]]:
    """(offset of the header, offset in it of the expanded size) of `name`'s local header and
    its central directory entry."""
    encoded = name.encode()
    at = data.rfind(b"PK\x05\x06")
    directory = struct.unpack_from("<I", data, at + 16)[0]
    while data[directory : directory + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, directory + 28)
        local = struct.unpack_from("<I", data, directory + 42)[0]
        if data[directory + 46 : directory + 46 + name_length] == encoded:
            yield directory, 24
            yield local, 22
        directory += 46 + name_length + extra_length + comment_length


def word_nested(path: Path, depth: int = 200_000) -> None:
    """A file whose one paragraph is `depth` hyperlinks, each inside the last."""

    def document(stream: Any) -> None:
        stream.write(DOCUMENT_START + b"<w:p>" + b"<w:hyperlink>" * depth)
        stream.write(b"<w:r><w:t>1. Deep.</w:t></w:r>" + b"</w:hyperlink>" * depth)
        stream.write(b"</w:p>" + DOCUMENT_END)

    _docx(path, document)


def word_entities(path: Path) -> None:
    """A file whose text is an entity that expands, through nine levels, to 10⁹ "lol"s."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )

    def document(stream: Any) -> None:
        stream.write(
            f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>1. &lol9;</w:t></w:r></w:p>'
            f"</w:body></w:document>".encode()
        )

    _docx(path, document)


def word_of_many_parts(path: Path, parts: int = 10_000) -> None:
    """A file of `parts` empty parts besides the ones Word needs."""

    def extra(package: Any) -> None:
        for n in range(parts):
            package.writestr(f"p/{n}", b"")

    _docx(
        path,
        lambda stream: stream.write(DOCUMENT_START + _paragraphs(1) + DOCUMENT_END),
        extra=extra,
    )


# --- PDF -----------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = b"BT /F1 12 Tf 72 720 Td (1. Officers will answer within five working days.) Tj ET"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >>%s >>"
)


def pdf_page_tree(path: Path, references: int = 100_000) -> None:
    """A PDF whose page tree lists one page `references` times."""
    kids = b" ".join([b"3 0 R"] * references)
    path.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % references,
                _PAGE % b"",
                _stream(_TEXT),
                _FONT,
            ]
        )
    )


def pdf_of_pages(path: Path, pages: int) -> None:
    """An ordinary PDF of `pages` pages, a numbered paragraph of three lines on each."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(pages)), pages),
        _FONT,
    ]
    for n in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * n)
        )
        # Words that differ from page to page, or they would be read as running headers.
        words = b"x" * (n + 1)
        objects.append(
            _stream(
                b"BT /F1 12 Tf 72 720 Td (%d. Officers will answer %s.) Tj ET "
                b"BT /F1 12 Tf 72 700 Td (Members will ask %s.) Tj ET "
                b"BT /F1 12 Tf 72 680 Td (Both will keep to %s.) Tj ET"
                % (n + 1, words, words, words)
            )
        )
    path.write_bytes(_pdf(objects))


def pdf_nested_dictionaries(path: Path, depth: int = 200_000) -> None:
    """A PDF whose page holds dictionaries nested `depth` deep."""
    deep = b"<< /A " * depth + b">> " * depth
    path.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                _PAGE % (b" /Deep " + deep),
                _stream(_TEXT),
                _FONT,
            ]
        )
    )


def pdf_nested_arrays_in_its_text(path: Path, depth: int = 200_000) -> None:
    """A PDF whose page's description has arrays nested `depth` deep among its text."""
    deep = b"[" * depth + b"]" * depth
    path.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                _PAGE % b"",
                _stream(_TEXT + b" " + deep + b" pop"),
                _FONT,
            ]
        )
    )


# --- text and names ------------------------------------------------------------------------


def text_of(path: Path, size: int) -> None:
    """Ordinary text: numbered paragraphs of prose, `size` bytes in all."""
    words = (
        "Officers will keep members informed of matters affecting their division, before they "
        "become public, and will answer enquiries within five working days."
    )
    lines, written, number = [], 0, 1
    while written < size:
        line = f"{number}. {words}\n\n"
        lines.append(line)
        written += len(line)
        number += 1
    path.write_text("".join(lines)[:size], encoding="utf-8")


def zip_named_pdf(path: Path) -> None:
    word_of_many_parts(path, parts=1)


def pdf_named_docx(path: Path) -> None:
    pdf_nested_dictionaries(path, depth=1)


def program_named_txt(path: Path) -> None:
    """The start of a Linux program: its header, then code."""
    path.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + os.urandom(4000))


# name: (builder, the name the file is uploaded under)
FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "word picture of 256 MiB of zeros": (word_picture_of_zeros, "protocol.docx"),
    "word text part of 200 MB": (lambda p: word_text_of(p, 200 * MIB), "protocol.docx"),
    "word part lying about its size": (word_lying_about_its_size, "protocol.docx"),
    "word XML nested 200,000 deep": (word_nested, "protocol.docx"),
    "word XML entity expansion": (word_entities, "protocol.docx"),
    "word of 10,000 parts": (word_of_many_parts, "protocol.docx"),
    "word text of 19 MB": (lambda p: word_text_of(p, 19 * MIB), "protocol.docx"),
    "pdf page tree of 100,000 references": (pdf_page_tree, "protocol.pdf"),
    "pdf dictionaries nested 200,000 deep": (pdf_nested_dictionaries, "protocol.pdf"),
    "pdf arrays nested 200,000 deep in its text": (pdf_nested_arrays_in_its_text, "protocol.pdf"),
    "text of 9 MB": (lambda p: text_of(p, 9 * MIB), "protocol.txt"),
    "text of 1.9 million characters": (lambda p: text_of(p, 1_900_000), "protocol.txt"),
    "zip named .pdf": (zip_named_pdf, "protocol.pdf"),
    "pdf named .docx": (pdf_named_docx, "protocol.docx"),
    "program named .txt": (program_named_txt, "protocol.txt"),
}


def build(directory: Path) -> None:
    manifest = {}
    for number, (name, (builder, upload_name)) in enumerate(FILES.items()):
        path = directory / f"{number:02d}"
        builder(path)
        manifest[name] = {
            "path": path.name,
            "upload_name": upload_name,
            "bytes": path.stat().st_size,
        }
    (directory / "manifest.json").write_text(json.dumps(manifest))


# --- the probe -----------------------------------------------------------------------------


def _status(field: str) -> int:
    """A size from /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _can_reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _status("VmHWM")
    except OSError:
        return False
    return True


def _read(data: bytes, upload_name: str) -> dict[str, Any]:
    from accord.core.errors import ValidationFailed
    from accord.library.parsing import parse_protocol, read_upload
    from accord.library.parsing.limits import Work

    work = Work()
    try:
        source = read_upload(upload_name, data, work=work)
        parsed = parse_protocol(source.text, source_format=source.format)
    except ValidationFailed as failed:
        outcome: dict[str, Any] = {
            "read": False,
            "fields": [error.field for error in failed.errors],
            "message": failed.errors[0].message if failed.errors else failed.detail,
        }
    except MemoryError:
        outcome = {"read": False, "fields": [], "message": "MemoryError: past the ceiling"}
    else:
        outcome = {
            "read": True,
            "paragraphs": len(parsed.paragraphs),
            "characters": len(source.text),
        }
    return {**outcome, "work": work.counts(), "work_total": work.total()}


def _measure(path: Path, upload_name: str, ceiling: int) -> dict[str, Any]:
    """Read one file in this (forked) process; its result with the peak memory it took."""
    data = path.read_bytes()
    gc.collect()
    by_rss = _can_reset_peak()
    if by_rss:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (_status("VmSize") + ceiling, hard))
        before = _status("VmRSS")
        result = _read(data, upload_name)
        peak = _status("VmHWM") - before
    else:
        tracemalloc.start()
        result = _read(data, upload_name)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {**result, "peak_bytes": peak, "measured_by": "peak RSS" if by_rss else "tracemalloc"}


def probe(directory: Path, ceiling: int = 1024 * MIB) -> dict[str, Any]:
    import django

    django.setup()
    # Everything the readers import, imported before any measuring starts.
    import lxml.etree  # noqa: F401
    import pypdf  # noqa: F401

    from accord.library.parsing import parse_protocol, pdf, word  # noqa: F401

    manifest = json.loads((directory / "manifest.json").read_text())
    results = {}
    for name, entry in manifest.items():
        path, upload_name = directory / entry["path"], entry["upload_name"]
        if not hasattr(os, "fork"):
            results[name] = _measure(path, upload_name, ceiling)
            continue
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through the pipe
            os.close(reading)
            try:
                report = json.dumps(_measure(path, upload_name, ceiling)).encode()
            except BaseException as failed:
                report = json.dumps({"error": repr(failed)[:500]}).encode()
            with os.fdopen(writing, "wb") as out:
                out.write(report)
            os._exit(0)
        os.close(writing)
        with os.fdopen(reading, "rb") as answer:
            report_bytes = answer.read()
        os.waitpid(child, 0)
        results[name] = json.loads(report_bytes or b'{"error": "no answer"}')
        results[name]["file_bytes"] = entry["bytes"]
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    print(json.dumps(probe(Path(sys.argv[1]))))
