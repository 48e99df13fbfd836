"""Reading a corpus's optional ``manifest.csv``: one row of metadata per article file.

Columns (contract section 1): ``file`` (required), ``published``, ``publisher``,
``title``, ``url``; any other column is kept as article metadata (empty cells are not).
A manifest problem never stops the corpus: each is a warning naming ``manifest.csv`` and
the line, and the rows that can be used are used. Without a ``file`` column the whole
manifest is ignored, and says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.encoding import NotText, decode_text
from core.model import Problem, Published, Severity
from core.published import DateFormatError, parse_partial_date

MANIFEST_NAME = "manifest.csv"
#: a manifest of a very large corpus is still small; this only guards against a wrong file
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
KNOWN_COLUMNS = ("file", "published", "publisher", "title", "url")

_Warn = Callable[[str], None]


@dataclass
class ManifestRow:
    """What the manifest says about one article file."""

    file: str  # as normalised for matching: forward slashes, NFC, no leading ./
    line: int
    written: str = ""  # the cell as written (without a leading ./), to tell colliding names apart
    published: Published | None = None
    published_text: str = ""  # the cell as written, also when it could not be parsed
    publisher: str = ""
    title: str = ""
    url: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """The usable rows, by file, and the problems met reading them."""

    rows: dict[str, ManifestRow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""


def normalise_name(name: str) -> str:
    """A file name as manifests and the loader compare them: NFC, forward slashes, each
    part stripped of surrounding spaces, no leading ``./``. Two files that differ only
    in these are a collision the loader reports."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/")
    name = "/".join(part.strip() for part in name.split("/"))
    while name.startswith("./"):
        name = name[2:]
    return name


def read_manifest(path: Path) -> Manifest:
    """Parse ``path``; every problem is a warning in ``Manifest.problems``."""
    manifest = Manifest()

    def warn(reason: str) -> None:
        manifest.problems.append(Problem(MANIFEST_NAME, reason, Severity.WARNING))

    try:
        size = path.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            warn(f"{size:,} bytes, over the {MAX_MANIFEST_BYTES:,}-byte limit; manifest ignored")
            return manifest
        data = path.read_bytes()
    except OSError as exc:
        warn(f"cannot be read ({exc.strerror or exc}); manifest ignored")
        return manifest
    try:
        decoded = decode_text(data)
    except NotText as exc:
        warn(f"{exc}; manifest ignored")
        return manifest
    manifest.encoding = decoded.encoding
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        warn(f"not UTF-8: read as {decoded.encoding.upper()}; please save it as UTF-8")
    _parse(decoded.text, manifest, warn)
    return manifest


def _parse(text: str, manifest: Manifest, warn: _Warn) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        warn("no header row; manifest ignored")
        return
    except csv.Error as exc:
        warn(f"line 1: {exc}; manifest ignored")
        return
    columns = [name.strip() for name in header]
    # the known columns match whatever their case; unknown ones keep their spelling
    keys = [name.lower() if name.lower() in KNOWN_COLUMNS else name for name in columns]
    if "file" not in keys:
        found = ", ".join(c for c in columns if c) or "nothing"
        warn(f"no 'file' column in the header (found: {found}); manifest ignored")
        return
    first_line: dict[str, int] = {}
    while True:
        starts = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            warn(f"line {reader.line_num}: {exc}; rest of the manifest ignored")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        swallowed = _swallowed_rows(cells, keys)
        if swallowed:
            warn(
                f"line {starts}: a quote opened on this line is not closed where the row "
                f"ends, so {swallowed} later line(s) that look like rows were read into one "
                f"cell (up to line {line}); fix the quote: those rows are not used"
            )
            line = starts
        if len(cells) > len(keys):
            warn(f"line {line}: {len(cells)} cells for {len(keys)} columns; extra cells ignored")
        values = {
            key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(keys) if key
        }
        name = normalise_name(values.get("file", ""))
        if not name:
            warn(f"line {line}: no file name; row ignored")
            continue
        if name in first_line:
            warn(
                f"line {line}: '{name}' is listed again (first at line {first_line[name]}); "
                "this row is ignored"
            )
            continue
        first_line[name] = line
        manifest.rows[name] = _row(name, line, values, warn)
        manifest.rows[name].written = _written(cells[keys.index("file")])


def _swallowed_rows(cells: list[str], keys: list[str]) -> int:
    """How many lines inside the row's cells look like rows of their own (an article name
    where the file column would be): an unterminated quote reads every later row into one
    cell. An ordinary multi-line cell (a title with a subtitle) counts none."""
    at = keys.index("file")
    rows = 0
    for cell in cells:
        for text in cell.splitlines()[1:]:
            fields = text.split(",")
            if len(fields) > at and fields[at].strip().lower().endswith((".txt", ".md")):
                rows += 1
    return rows


def _written(cell: str) -> str:
    name = cell.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


#: a news article's publication year outside these is most likely a typo
PLAUSIBLE_YEARS = (1950, dt.date.today().year + 1)


def _row(name: str, line: int, values: dict[str, str], warn: _Warn) -> ManifestRow:
    row = ManifestRow(
        file=name,
        line=line,
        published_text=values.get("published", ""),
        publisher=values.get("publisher", ""),
        title=values.get("title", ""),
        url=values.get("url", ""),
        extra={k: v for k, v in values.items() if k not in KNOWN_COLUMNS and v},
    )
    if row.published_text:
        try:
            row.published = parse_partial_date(row.published_text)
        except DateFormatError as exc:
            warn(f"line {line}: published {exc}; '{name}' falls back to its dateline, if any")
        else:
            low, high = PLAUSIBLE_YEARS
            if not low <= row.published.start.year <= high:
                warn(
                    f"line {line}: published '{row.published_text}' is an unlikely year for "
                    f"a news article (expected {low}-{high}); used as written, please check"
                )
    return row
