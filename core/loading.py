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
import errno
import os
import re
import stat
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
    "display_name",
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
    files, walk_problems, seen = _article_files(root)
    corpus = Corpus(root=root, problems=walk_problems)
    manifest = _manifest(root)
    corpus.problems.extend(manifest.problems)
    finder = default_finder()
    folded: dict[str, int] = {}
    for key, _ in files:
        folded[normalise_name(key)] = folded.get(normalise_name(key), 0) + 1
    total = len(files)
    for done, (name, path) in enumerate(files, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        loaded = load_article(path, name, max_bytes=max_bytes)
        if isinstance(loaded, Problem):
            corpus.problems.append(loaded)
        else:
            row = manifest.rows.get(normalise_name(name))
            if row is not None and folded[normalise_name(name)] > 1 and row.written != name:
                row = None  # names that collide: the row is for the one it spells exactly
            _apply_metadata(loaded, row, finder)
            corpus.articles.append(loaded)
        if progress is not None:
            progress(done, total, f"불러오기: {display_name(name)}")
    corpus.problems.extend(_unmatched_rows(manifest, {normalise_name(k) for k in seen}))
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


def _article_files(root: Path) -> tuple[list[tuple[str, Path]], list[Problem], set[str]]:
    """(key, path) of every article file, sorted by key; the walk's problems; every name met.

    CorpusError when the folder is unusable or holds no article file. See ``_Walk``.
    """
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
    walk = _Walk(root)
    walk.run()
    if not walk.found:
        raise CorpusError(
            f"no article files ({', '.join('*' + s for s in ARTICLE_SUFFIXES)}) in {root}",
            walk.problems,
        )
    walk.found.sort(key=lambda item: item[0])
    walk.problems.extend(_collisions([key for key, _ in walk.found]))
    return walk.found, walk.problems, walk.seen


class _Walk:
    """One iterative walk of the corpus folder (a deep tree cannot exhaust the stack).

    Keys are relative paths exactly as written (a name that is not UTF-8 keeps its bytes
    as surrogate escapes, so two such names never collide). A link is followed only when
    it resolves inside the corpus folder; a link to outside, a dangling one and a loop are
    each a problem naming the link and where it points, and nothing outside is opened.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.found: list[tuple[str, Path]] = []
        self.problems: list[Problem] = []
        self.seen: set[str] = set()  # every key met, loaded or not (manifest rows match them)

    def run(self) -> None:
        # (folder, key prefix, identities of the real folders from the root down to it)
        stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [
            (str(self.root), "", frozenset({_identity(self.real_root)}))
        ]
        while stack:
            folder, prefix, ancestors = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name, reverse=True)
            except OSError as exc:
                self._warn(prefix or "./", f"folder cannot be read: {exc.strerror or exc}")
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                key = prefix + entry.name
                child = self._follow(entry, key, ancestors)
                if child is None:
                    continue
                kind, identity = child
                article = kind == "file" and entry.name.lower().endswith(ARTICLE_SUFFIXES)
                if (kind == "dir" or article) and not _is_utf8(entry.name):
                    what = "folder name" if kind == "dir" else "file name"
                    self._warn(key, f"{what} is not valid UTF-8 (shown with U+FFFD); read as is")
                if kind == "dir":
                    stack.append((entry.path, key + "/", ancestors | {identity}))
                elif article:
                    self.found.append((key, Path(entry.path)))
                    self.seen.add(key)

    def _follow(
        self, entry: os.DirEntry[str], key: str, ancestors: frozenset[tuple[int, int]]
    ) -> tuple[str, tuple[int, int]] | None:
        """("dir" | "file" | "other", identity) of what ``entry`` leads to, or None (a problem
        says why when it is a link that must not be followed)."""
        try:
            if not entry.is_symlink():
                info = entry.stat(follow_symlinks=False)
                return _kind(info.st_mode), (info.st_dev, info.st_ino)
        except OSError as exc:
            self._warn(key, f"cannot be read: {exc.strerror or exc}")
            return None
        try:
            target = os.readlink(entry.path)
        except OSError as exc:
            self._warn(key, f"link cannot be read: {exc.strerror or exc}")
            return None
        shown = _shown(target)
        try:
            info = os.stat(entry.path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._warn(key, f"link loop (-> {shown}); not followed")
            else:
                self._warn(key, f"dangling link (-> {shown}); not followed")
            return None
        if not _inside(os.path.realpath(entry.path), self.real_root):
            self._warn(key, f"link to outside the corpus folder (-> {shown}); not read")
            return None
        identity = (info.st_dev, info.st_ino)
        kind = _kind(info.st_mode)
        if kind == "dir" and identity in ancestors:
            self._warn(
                key, f"link loop: leads back to a folder above it (-> {shown}); not followed"
            )
            return None
        return kind, identity

    def _warn(self, key: str, reason: str) -> None:
        self.seen.add(key)
        self.problems.append(Problem(key, reason, Severity.WARNING))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """A link target as a message may show it (bytes that are not UTF-8 as U+FFFD)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _collisions(keys: list[str]) -> list[Problem]:
    """A problem for every group of files whose names differ only in spaces or Unicode form."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(normalise_name(key), []).append(key)
    problems = []
    for folded, group in groups.items():
        if len(group) > 1:
            names = ", ".join(f"'{k}'" for k in group)
            problems.append(
                Problem(
                    group[0],
                    f"{names} differ only in spaces or Unicode form: each is loaded under "
                    f"its name as written; a manifest row '{folded}' applies only to the one "
                    "it spells exactly",
                    Severity.WARNING,
                )
            )
    return problems


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
        try:
            moment = dt.datetime.combine(start, time, dt.timezone(manifest.utc_offset))
            moment = moment.astimezone(_KST)
        except (OverflowError, ValueError):
            return False  # at the calendar's very ends: no Korea date to compare with
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


def _manifest(root: Path) -> Manifest:
    """The top folder's manifest, if it is a file inside the corpus; else why it is not read."""
    path = root / MANIFEST_NAME
    try:
        info = path.lstat()
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        return _no_manifest(f"cannot be read ({exc.strerror or exc}); manifest ignored")
    if stat.S_ISLNK(info.st_mode):
        shown = _shown(os.readlink(path))
        if not _inside(os.path.realpath(path), os.path.realpath(root)):
            return _no_manifest(f"link to outside the corpus folder (-> {shown}); not read")
        try:
            info = path.stat()
        except OSError:
            return _no_manifest(f"dangling link or link loop (-> {shown}); not read")
    if stat.S_ISDIR(info.st_mode):
        return _no_manifest("is a folder, not a file; no manifest read")
    if not stat.S_ISREG(info.st_mode):
        return _no_manifest("is not a regular file; not read")
    return read_manifest(path)


def _no_manifest(reason: str) -> Manifest:
    return Manifest(problems=[Problem(MANIFEST_NAME, reason, Severity.WARNING)])


def _unmatched_rows(manifest: Manifest, names: set[str]) -> list[Problem]:
    """A warning for every manifest row naming no article file, decided from the name alone:
    nothing is looked up outside the corpus, so a row naming ``/etc/shadow`` reads the same
    whether or not that file exists."""
    problems = []
    for name, row in manifest.rows.items():
        if name in names:
            continue
        parts = name.split("/")
        if name.startswith("/") or ".." in parts or name[1:2] == ":":
            reason = f"line {row.line}: '{name}' is outside the corpus folder; row ignored"
        elif any(part.startswith(".") for part in parts):
            reason = f"line {row.line}: '{name}' is a hidden file, never loaded; row ignored"
        elif not name.lower().endswith(ARTICLE_SUFFIXES):
            reason = f"line {row.line}: '{name}' is not an article file (*.txt, *.md); row ignored"
        else:
            reason = f"line {row.line}: names '{name}', which is not in the corpus folder"
        problems.append(Problem(MANIFEST_NAME, reason, Severity.WARNING))
    return problems


def display_name(name: str) -> str:
    """A file key as a terminal or window may show it: bytes that are not UTF-8 as U+FFFD,
    control characters (ESC, line breaks) as visible escapes such as ``\\x1b``."""
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], _shown(name))


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
