"""Reading inputs: walk folders, detect encodings, parse txt/html/json/jsonl/csv.

All disk reading of *input* files happens here. Every file ends up as records, a quarantine
entry with a one-line reason, or a skip (hidden/temporary files, unsupported types) — the
walk reports each one so ingest can account for it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .markdown_text import is_markdown_format, markdown_to_text
from .schema import GIVEN_FIELDS, Quarantined, RawRecord

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".csv"}
TEMP_SUFFIXES = {".tmp", ".part", ".swp", ".swo", ".crdownload", ".bak"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MiB per input file; --max-file-mb overrides
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\x1f\x8b": "gzip archive",
    b"\xd0\xcf\x11\xe0": "MS Office binary",
}
# Fields a record may carry under another name.
_FIELD_ALIASES = {"content": "text", "body": "text", "正文": "text", "标题": "title", "日期": "date"}


@dataclass
class FileEntry:
    path: Path
    rel: str
    skip_reason: str | None = None  # hidden | temporary | unsupported_type


@dataclass
class ReadResult:
    records: list[RawRecord] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)


def skip_reason(name: str) -> str | None:
    """Documented skip rule: hidden files, editor/download temporaries, unsupported types."""
    if name.startswith("."):
        return "hidden"
    lower = name.lower()
    if lower.startswith("~$") or lower.endswith("~") or Path(lower).suffix in TEMP_SUFFIXES:
        return "temporary"
    if base_suffix(Path(lower)) not in SUPPORTED:  # a.jsonl.gz is read as a.jsonl
        return "unsupported_type"
    return None


def walk(paths: list[Path], exclude: set[Path] | None = None) -> Iterator[FileEntry]:
    """Files below ``paths`` in sorted order; symlinked folders followed once (no loops)."""
    exclude = {p.resolve() for p in (exclude or set())}
    for root in paths:
        if root.is_file() or (root.is_symlink() and not root.is_dir()):
            yield FileEntry(root, root.name, skip_reason(root.name))
            continue
        seen_dirs: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            hidden = [d for d in dirnames if d.startswith(".")]
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for d in hidden:  # hidden folders are skipped whole; say so
                yield FileEntry(Path(dirpath) / d, str((Path(dirpath) / d).relative_to(root)), "hidden")
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.resolve() in exclude:
                    continue
                rel = str(path.relative_to(root.parent)) if root.parent != root else str(path)
                yield FileEntry(path, rel, skip_reason(name))


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _cjk_plausibility(text: str) -> float:
    """Share of CJK characters that are common once converted to Simplified."""
    from .clean import to_simplified
    from .resources import char_rank

    ranks = char_rank()
    sample = to_simplified(text[:3000])
    cjk = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.5
    return sum(1 for ch in cjk if ranks.get(ch, 10**6) < 3000) / len(cjk)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5.

    Raises DecodeError with reason ``empty``, ``binary`` or ``undecodable``.
    """
    if not data.strip():
        raise DecodeError("empty", "the file is empty" if not data else "only whitespace")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise DecodeError("binary", f"binary file ({what}) with a text extension")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise DecodeError("binary", "binary file (NUL bytes) with a text extension")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_cjk_plausibility(text), enc, text))
    if not candidates:
        raise DecodeError(
            "undecodable",
            f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), GB18030 or Big5",
        )
    score, enc, text = max(candidates)
    if score < 0.5:
        raise DecodeError("undecodable", f"decodes as {enc} only into implausible text")
    return text, enc


def _given(record: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in record.items():
        key = _FIELD_ALIASES.get(str(key), str(key))
        if (
            key in GIVEN_FIELDS
            and value not in (None, "")
            and str(value).strip().lower()
            not in (
                "nan",
                "none",
                "null",
            )
        ):
            out[key] = str(value).strip()
    return out


def _record_text(record: dict) -> str | None:
    """The record's text; a record whose ``format`` is ``markdown`` is read as plain text."""
    for key in ("text", "content", "body", "正文"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return markdown_to_text(value) if is_markdown_format(record.get("format")) else value
    return None


def html_to_text(html: str) -> str:
    """Article text from HTML: scripts, styles and page furniture dropped, blocks on lines."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg", "head", "nav"]):
        tag.decompose()
    root = soup.body or soup
    return root.get_text("\n")


def html_given(html: str) -> dict[str, str]:
    """What a saved page says about itself: its address (``<link rel=canonical>`` / ``og:url``)
    as ``url``, and the publication date ``htmldate`` reads from its metadata as ``html_date``
    (a fallback after the page's own 发布时间 line, never a given date)."""
    from .url_dates import page_url

    out: dict[str, str] = {}
    url = page_url(html)
    if url:
        out["url"] = "http:" + url if url.startswith("//") else url
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=False, original_date=True, url=out.get("url"))
    except Exception:  # noqa: BLE001 - a page htmldate cannot read simply gives no date
        found = None
    if found:
        out["html_date"] = found
    return out


def sha1(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha1(data).hexdigest()


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def json_depth(data: bytes) -> int:
    """Deepest nesting of ``[``/``{`` in JSON text (strings ignored), without parsing it, so a
    100 000-deep array is measured in NumPy instead of overflowing the parser's recursion."""
    import numpy as np

    codes = np.frombuffer(_JSON_STRING.sub(b"", data), dtype=np.uint8)
    if not codes.size:
        return 0
    steps = np.isin(codes, (0x5B, 0x7B)).astype(np.int32) - np.isin(codes, (0x5D, 0x7D)).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def read_file(entry: FileEntry, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one input file into raw records; never raises for bad content.

    Whatever a parser raises (RecursionError, MemoryError, its own exceptions) becomes a
    quarantine row for this file, after the records already read from it.
    """
    out = ReadResult()
    try:
        _read_file(entry, max_bytes, out)
        if not out.records and not out.quarantined:  # an empty array, a CSV header alone
            out.quarantined.append(Quarantined(entry.rel, 0, "no_records", "the file holds no records"))
        return out
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - one file must not stop a run
        out.quarantined.append(Quarantined(entry.rel, 0, "reader_error", f"{type(exc).__name__}: {exc}"[:300]))
        return out


def _read_file(entry: FileEntry, max_bytes: int, out: ReadResult) -> ReadResult:
    rel = entry.rel

    def quarantine(reason: str, detail: str, record_no: int = 0) -> ReadResult:
        out.quarantined.append(Quarantined(rel, record_no, reason, detail))
        return out

    try:
        size = entry.path.stat().st_size
        if size > max_bytes:
            return quarantine("too_large", f"{size / 2**20:.1f} MiB exceeds the limit of {max_bytes / 2**20:.0f} MiB")
        data = _read_bytes(entry.path, max_bytes)
        if data is None:
            return quarantine("too_large", f"decompressed, more than the limit of {max_bytes / 2**20:.0f} MiB")
    except PermissionError:
        return quarantine("unreadable", "permission denied")
    except FileNotFoundError:
        return quarantine("missing", "file not found (broken symlink or removed during ingest)")
    except IsADirectoryError:
        return quarantine("unreadable", "is a directory")
    except OSError as exc:
        return quarantine("unreadable", exc.strerror or str(exc))
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return quarantine(exc.reason, exc.detail)
    suffix = base_suffix(entry.path)
    if suffix in (".txt", ".md", ".markdown", ".html", ".htm"):
        page: dict[str, str] = {}
        if suffix in (".html", ".htm"):
            page = html_given(text)
            text = html_to_text(text)
        elif suffix != ".txt":
            text = markdown_to_text(text)
        from .clean import is_mostly_text

        if not is_mostly_text(text.strip()):
            return quarantine("binary", "content is not text (control or symbol characters dominate)")
        limit = settings.get_int("TIFA_MAX_RECORD_CHARS")
        if len(text) > limit:
            return quarantine("record_too_large", f"{len(text)} characters (limit {limit}, TIFA_MAX_RECORD_CHARS)")
        out.records.append(RawRecord(rel, 0, text, page, encoding, sha1(data)))
    elif suffix == ".jsonl":
        limit = settings.get_int("TIFA_MAX_JSON_DEPTH")
        check_lines = json_depth(text.encode("utf-8", "surrogatepass")) > limit
        for no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            if check_lines and (depth := json_depth(line.encode("utf-8", "surrogatepass"))) > limit:
                out.quarantined.append(
                    Quarantined(
                        rel, no, "too_deep", f"line {no}: JSON nested {depth} deep (limit {limit}, TIFA_MAX_JSON_DEPTH)"
                    )
                )
                continue
            _add_json_record(out, rel, no, line, encoding)
    elif suffix == ".json":
        limit = settings.get_int("TIFA_MAX_JSON_DEPTH")
        if (depth := json_depth(text.encode("utf-8", "surrogatepass"))) > limit:
            return quarantine("too_deep", f"JSON nested {depth} deep (limit {limit}, TIFA_MAX_JSON_DEPTH)")
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            return quarantine("bad_json", f"line {exc.lineno}: {exc.msg}")
        items = obj if isinstance(obj, list) else [obj]
        for no, item in enumerate(items, start=1 if isinstance(obj, list) else 0):
            _add_record(out, rel, no, item, encoding, json.dumps(item, ensure_ascii=False, sort_keys=True))
    elif suffix == ".csv":
        _read_csv(out, rel, text, encoding)
    return out


def _read_bytes(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, decompressed for .gz (None when that exceeds ``max_bytes``)."""
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    import gzip

    with gzip.open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _add_json_record(out: ReadResult, rel: str, no: int, line: str, encoding: str) -> None:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        out.quarantined.append(Quarantined(rel, no, "bad_record", f"line {no}: invalid JSON ({exc.msg})"))
        return
    _add_record(out, rel, no, item, encoding, line)


def _add_record(out: ReadResult, rel: str, no: int, item: object, encoding: str, raw: str) -> None:
    if not isinstance(item, dict):
        out.quarantined.append(Quarantined(rel, no, "bad_record", f"record {no}: not an object"))
        return
    text = _record_text(item)
    limit = settings.get_int("TIFA_MAX_RECORD_CHARS")
    if text is not None and len(text) > limit:
        out.quarantined.append(
            Quarantined(
                rel,
                no,
                "record_too_large",
                f"record {no}: {len(text)} characters (limit {limit}, TIFA_MAX_RECORD_CHARS)",
            )
        )
        return
    if text is None:
        fields = ", ".join(map(str, item.keys())) or "none"
        out.quarantined.append(Quarantined(rel, no, "bad_record", f"record {no}: no 'text' field (fields: {fields})"))
        return
    out.records.append(RawRecord(rel, no, text, _given(item), encoding, sha1(raw)))


def _read_csv(out: ReadResult, rel: str, text: str, encoding: str) -> None:
    try:
        reader = csv.DictReader(io.StringIO(text))
        columns = reader.fieldnames or []
    except csv.Error as exc:
        out.quarantined.append(Quarantined(rel, 0, "bad_csv", str(exc)))
        return
    if not any(_FIELD_ALIASES.get(c, c) == "text" for c in columns):
        out.quarantined.append(
            Quarantined(rel, 0, "no_text_column", f"no 'text' column; columns found: {', '.join(columns)}")
        )
        return
    try:
        for no, row in enumerate(reader, start=1):
            row = {k: v for k, v in row.items() if k is not None}
            _add_record(out, rel, no, row, encoding, json.dumps(row, ensure_ascii=False, sort_keys=True))
    except csv.Error as exc:
        out.quarantined.append(Quarantined(rel, 0, "bad_csv", f"line {reader.line_num}: {exc}"))


def read_manifest(path: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Manifest CSV: a ``path`` column plus metadata columns → {resolved path: given}.

    Returns the mapping and the paths it names that do not exist.
    """
    text, _ = decode_bytes(path.read_bytes())
    reader = csv.DictReader(io.StringIO(text))
    if "path" not in (reader.fieldnames or []):
        raise ValueError(f"{path}: manifest needs a 'path' column; columns found: {', '.join(reader.fieldnames or [])}")
    mapping: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for row in reader:
        target = Path(row["path"])
        if not target.is_absolute():
            target = path.parent / target
        if not target.exists():
            missing.append(row["path"])
            continue
        mapping[str(target.resolve())] = _given(row)
    return mapping, missing


# --- streamed record files ---------------------------------------------------------------------

RECORD_SUFFIXES = (".jsonl", ".csv", ".json")
STREAM_OVER = 8 * 2**20  # record files above this size (and every .gz) are read record by record
STREAM_CHUNK = 256  # records handed on at a time
SAMPLE_BYTES = 256 * 1024  # read to detect a streamed file's encoding


def base_suffix(path: Path) -> str:
    """The format's suffix: ``.jsonl`` for ``a.jsonl`` and for ``a.jsonl.gz``."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) == 2 else ""
    return suffixes[-1] if suffixes else ""


def streams(entry: FileEntry) -> bool:
    """A record file (JSONL, CSV, JSON) that is gzipped or large is read record by record: its
    memory does not grow with the file, and its size limit is per record, not per file."""
    if base_suffix(entry.path) not in RECORD_SUFFIXES:
        return False
    try:
        return entry.path.suffix.lower() == ".gz" or entry.path.stat().st_size > STREAM_OVER
    except OSError:
        return False


def _open_binary(path: Path):
    import gzip

    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _stream_encoding(sample: bytes) -> str:
    """The encoding of a streamed file from its opening bytes (cut at a line end, so a character
    split by the sample's end does not count against UTF-8)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    cut = sample.rfind(b"\n")
    _, encoding = decode_bytes(sample[: cut + 1] if cut > 0 else _whole_utf8(sample))
    return encoding


def _whole_utf8(sample: bytes) -> bytes:
    """``sample`` without a UTF-8 character cut by its end (a first line longer than the
    sample has no line end to cut at); unchanged when it is not UTF-8 either way."""
    for k in range(1, 4):
        if len(sample) < k:
            return sample
        if sample[-k] & 0xC0 == 0xC0:  # the lead byte of the last character
            lead = sample[-k]
            width = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            return sample[:-k] if width > k else sample
        if sample[-k] & 0xC0 != 0x80:  # an ASCII byte: nothing cut
            return sample
    return sample


def stream_file(entry: FileEntry, on_bytes: Callable[[int, int], None] | None = None) -> Iterator[ReadResult]:
    """Read a record file record by record, in chunks of STREAM_CHUNK records; ``on_bytes(read,
    size)`` reports progress through the file (compressed bytes for .gz). Never raises for bad
    content: a bad record is quarantined with its number, a broken file after what was read."""
    rel, suffix = entry.rel, base_suffix(entry.path)
    out = ReadResult()
    try:
        size = entry.path.stat().st_size
        with open(entry.path, "rb") as raw_file, _wrap(entry.path, raw_file) as stream:
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if hasattr(stream, "peek") else b""
            encoding = _stream_encoding(sample)
            reader = {".jsonl": _stream_jsonl, ".csv": _stream_csv, ".json": _stream_json}[suffix]
            for n, out in enumerate(reader(stream, rel, encoding), start=1):
                if on_bytes and n % 4 == 0:
                    on_bytes(raw_file.tell(), size)
                yield out
            out = ReadResult()
    except DecodeError as exc:
        out.quarantined.append(Quarantined(rel, 0, exc.reason, exc.detail))
    except PermissionError:
        out.quarantined.append(Quarantined(rel, 0, "unreadable", "permission denied"))
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - one file must not stop a run
        out.quarantined.append(Quarantined(rel, 0, "reader_error", f"{type(exc).__name__}: {exc}"[:300]))
    if out.records or out.quarantined:
        yield out


def _wrap(path: Path, raw_file):
    """The decompressed byte stream over an open file (a buffered reader with ``peek``)."""
    import gzip

    if path.suffix.lower() == ".gz":
        return io.BufferedReader(gzip.GzipFile(fileobj=raw_file, mode="rb"), buffer_size=SAMPLE_BYTES)
    return io.BufferedReader(io.FileIO(raw_file.fileno(), closefd=False), buffer_size=SAMPLE_BYTES)


def _chunks(out: ReadResult) -> bool:
    return len(out.records) + len(out.quarantined) >= STREAM_CHUNK


def _stream_jsonl(stream, rel: str, encoding: str) -> Iterator[ReadResult]:
    limit = settings.get_int("TIFA_MAX_JSON_DEPTH")
    out = ReadResult()
    lines = io.TextIOWrapper(stream, encoding=encoding, newline="") if encoding.startswith("utf-16") else stream
    for no, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode(encoding)
            except UnicodeDecodeError as exc:
                out.quarantined.append(Quarantined(rel, no, "undecodable", f"line {no}: not {encoding} ({exc.reason})"))
                continue
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        if (depth := json_depth(line.encode("utf-8", "surrogatepass"))) > limit:
            detail = f"line {no}: JSON nested {depth} deep (limit {limit}, TIFA_MAX_JSON_DEPTH)"
            out.quarantined.append(Quarantined(rel, no, "too_deep", detail))
        else:
            _add_json_record(out, rel, no, line, encoding)
        if _chunks(out):
            yield out
            out = ReadResult()
    yield out


def _stream_csv(stream, rel: str, encoding: str) -> Iterator[ReadResult]:
    out = ReadResult()
    reader = csv.DictReader(io.TextIOWrapper(stream, encoding=encoding, newline=""))
    columns = reader.fieldnames or []
    if not any(_FIELD_ALIASES.get(c, c) == "text" for c in columns):
        detail = f"no 'text' column; columns found: {', '.join(columns)}"
        out.quarantined.append(Quarantined(rel, 0, "no_text_column", detail))
        yield out
        return
    try:
        for no, row in enumerate(reader, start=1):
            row = {k: v for k, v in row.items() if k is not None}
            _add_record(out, rel, no, row, encoding, json.dumps(row, ensure_ascii=False, sort_keys=True))
            if _chunks(out):
                yield out
                out = ReadResult()
    except csv.Error as exc:
        out.quarantined.append(Quarantined(rel, 0, "bad_csv", f"line {reader.line_num}: {exc}"))
    yield out


def _stream_json(stream, rel: str, encoding: str) -> Iterator[ReadResult]:
    """A JSON array, item by item (ijson); a single object is read whole."""
    import ijson

    out = ReadResult()
    head = stream.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"[") or not encoding.startswith("utf-8"):
        text = stream.read().decode(encoding)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            out.quarantined.append(Quarantined(rel, 0, "bad_json", f"line {exc.lineno}: {exc.msg}"))
            yield out
            return
        items = obj if isinstance(obj, list) else [obj]
        for no, item in enumerate(items, start=1 if isinstance(obj, list) else 0):
            _add_record(out, rel, no, item, encoding, json.dumps(item, ensure_ascii=False, sort_keys=True))
        yield out
        return
    no = 0
    try:
        for no, item in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            _add_record(out, rel, no, item, encoding, json.dumps(item, ensure_ascii=False, sort_keys=True))
            if _chunks(out):
                yield out
                out = ReadResult()
    except ijson.JSONError as exc:
        out.quarantined.append(Quarantined(rel, no + 1, "bad_json", f"after record {no}: {exc}"[:300]))
    yield out
