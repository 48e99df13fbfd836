"""Loading a corpus folder: article files and the optional manifest, into a ``Corpus``.

Article files are the ``*.txt`` and ``*.md`` files of the folder *and its sub-folders*
(a corpus sorted into month folders is common), in the order of their relative paths, so
two runs give the same articles in the same order. Hidden files and folders (``.git``,
macOS ``._name.txt`` resource forks) are skipped. ``manifest.csv`` is read from the top
folder only.

Every file that cannot be used is a problem naming the file and the reason (empty, not
text, not decodable, too large, unreadable); the others still load. Only a folder that is
missing, not a folder, empty, or without a single readable article raises ``CorpusError``.

The publication date comes from the manifest, else from a dateline in the text, else it
is unknown. When both exist and disagree the manifest wins and a note records both.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from core.dateline import Dateline, DatelineFinder, default_finder
from core.encoding import NotText, decode_text
from core.manifest import MANIFEST_NAME, Manifest, ManifestRow, normalise_name, read_manifest
from core.model import Article, Cancelled, Corpus, Problem, Published, Severity
from core.progress import CancelledFn, ProgressFn
from core.titles import detect_title

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "CorpusError",
    "detect_title",
    "load_article",
    "load_corpus",
]

ARTICLE_SUFFIXES = (".txt", ".md")
#: a news article is a few kilobytes; 2 MB is already a book, and a 20 MB file would keep
#: Kiwi busy for minutes, so anything larger is refused (``max_bytes`` overrides)
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

_KST = dt.timezone(dt.timedelta(hours=9))



class CorpusError(Exception):
    """A corpus folder that cannot be used at all; the message says why.

    ``problems`` holds the per-file problems when files exist but none could be read.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def load_corpus(
    root: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Corpus:
    """Read every article file under ``root`` and the manifest; see the module docstring.

    ``progress(done, total, message)`` is called after each file (``total`` is the number
    of article files); ``cancelled()`` is asked before each file and a True answer raises
    ``core.model.Cancelled``.
    """
    root = Path(root)
    files, walk_problems = _article_files(root)
    corpus = Corpus(root=root, problems=walk_problems)
    manifest_path = root / MANIFEST_NAME
    manifest = read_manifest(manifest_path) if manifest_path.is_file() else Manifest()
    corpus.problems.extend(manifest.problems)
    finder = default_finder()
    total = len(files)
    for done, (name, path) in enumerate(files, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        loaded = load_article(path, name, max_bytes=max_bytes)
        if isinstance(loaded, Problem):
            corpus.problems.append(loaded)
        else:
            _apply_metadata(loaded, manifest.rows.get(name), finder)
            corpus.articles.append(loaded)
        if progress is not None:
            progress(done, total, f"불러오기: {name}")
    corpus.problems.extend(_unmatched_rows(root, manifest, {name for name, _ in files}))
    if not corpus.articles:
        unreadable = [p for p in corpus.problems if p.file != MANIFEST_NAME]
        details = "; ".join(str(p) for p in unreadable[:3])
        more = f" (and {len(unreadable) - 3} more)" if len(unreadable) > 3 else ""
        raise CorpusError(
            f"no readable article in {root}: {len(files)} article file(s), none could be "
            f"read: {details}{more}",
            corpus.problems,
        )
    return corpus


def load_article(path: Path, file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | Problem:
    """One article file decoded and normalised, or the Problem saying why it cannot be.

    Only the text is read here; manifest metadata, dateline and date are the corpus's job.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _too_large(file, size, max_bytes)
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        return Problem(file, f"cannot be read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return _too_large(file, len(data), max_bytes)
    try:
        decoded = decode_text(data)
    except NotText as exc:
        return Problem(file, str(exc))
    return Article(
        file=file,
        path=path,
        source_text=decoded.text,
        encoding=decoded.encoding,
        metadata=dict(decoded.notes),
    )


def _too_large(file: str, size: int, limit: int) -> Problem:
    return Problem(
        file,
        f"too large for a news article: {_size(size)} ({size:,} bytes), over the "
        f"{_size(limit)} limit; not loaded",
    )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


def _article_files(root: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """(relative name, path) of every article file, sorted; CorpusError if there are none."""
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    try:
        anything = next(root.iterdir(), None)
    except OSError as exc:
        raise CorpusError(f"cannot read the corpus folder {root}: {exc.strerror or exc}") from None
    if anything is None:
        raise CorpusError(f"the corpus folder is empty: {root}")
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else "?"
        problems.append(
            Problem(where + "/", f"folder cannot be read: {exc.strerror or exc}", Severity.WARNING)
        )

    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for entry in names:
            if entry.startswith(".") or not entry.lower().endswith(ARTICLE_SUFFIXES):
                continue
            path = Path(folder) / entry
            if path.is_file():
                found.append((normalise_name(path.relative_to(root).as_posix()), path))
    if not found:
        raise CorpusError(
            f"no article files ({', '.join('*' + s for s in ARTICLE_SUFFIXES)}) in {root}",
            problems,
        )
    found.sort(key=lambda item: item[0])
    return found, problems


def _apply_metadata(article: Article, row: ManifestRow | None, finder: DatelineFinder) -> None:
    """Manifest fields, the dateline, and the publication date that follows from both."""
    if row is not None:
        article.metadata = {**row.extra, **article.metadata}
        article.publisher = row.publisher
        article.url = row.url
        if row.title:
            article.title = row.title  # already NFC: the manifest is decoded like an article
            article.title_source = "manifest"
    dateline = finder.find(article.source_text)
    if dateline is not None:
        article.metadata["dateline_span"] = dateline.span
        article.metadata["dateline"] = dateline.published.iso()
    manifest_date = row.published if row is not None else None
    if manifest_date is not None:
        article.published = manifest_date
        if dateline is not None and not _agree(manifest_date, dateline.published):
            article.problems.append(_disagreement(article.file, manifest_date, dateline))
    elif dateline is not None:
        article.published = dateline.published


def _agree(manifest: Published, dateline: Published) -> bool:
    """Does the dateline fall inside the manifest's date (and match its time, if both have one)?"""
    start, end, time = manifest.start, manifest.end, manifest.time
    if time is not None and manifest.utc_offset is not None:
        # datelines are Korea time; a manifest time with an offset is compared in Korea time
        moment = dt.datetime.combine(start, time, dt.timezone(manifest.utc_offset))
        moment = moment.astimezone(_KST)
        start = end = moment.date()
        time = moment.time()
    if not start <= dateline.start <= end:
        return False
    if time is not None and dateline.time is not None:
        return (time.hour, time.minute) == (dateline.time.hour, dateline.time.minute)
    return True


def _disagreement(file: str, manifest: Published, dateline: Dateline) -> Problem:
    return Problem(
        file,
        f"manifest date {manifest.iso()} and dateline '{dateline.published.text}' "
        f"({dateline.published.iso()}) disagree; the manifest's date is used",
        Severity.NOTE,
    )


def _unmatched_rows(root: Path, manifest: Manifest, names: set[str]) -> list[Problem]:
    problems = []
    for name, row in manifest.rows.items():
        if name in names:
            continue
        path = root / name
        if path.is_file() and not name.lower().endswith(ARTICLE_SUFFIXES):
            reason = f"line {row.line}: '{name}' is not an article file (*.txt, *.md); row ignored"
        elif path.is_file():
            reason = f"line {row.line}: '{name}' is a hidden file, never loaded; row ignored"
        else:
            reason = f"line {row.line}: names '{name}', which is not in the corpus folder"
        problems.append(Problem(MANIFEST_NAME, reason, Severity.WARNING))
    return problems
