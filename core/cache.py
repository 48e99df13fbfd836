"""An on-disk cache of analysed articles, so an unchanged corpus is not analysed twice.

One SQLite file in the user cache directory (``CAMP_TIMELINE_CACHE_DIR``, else
``$XDG_CACHE_HOME/camp-timeline``, else ``~/.cache/camp-timeline``). An entry is keyed by a
hash of everything the analysis of one article depends on (``article_key``); a changed
file, a new pipeline version or an edited resource table gives a new key, so stale entries
are simply never asked for.

Entries are zlib-compressed JSON of plain values, never pickle: a cache file is data from
disk and must not be able to run code. A file that is not our cache (garbage, truncated,
another program's SQLite, another schema) is renamed aside with a timestamp and a fresh one
is made; the reason is reported as a note. WAL mode and a busy timeout let two processes
(the window and a ``build``) share the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from core import analyse
from core.analyse import ArticleAnalysis
from core.cache_codec import (
    DECODE_ERRORS,
    FORMAT_VERSION,
    decode,
    decode_cleaning,
    encode,
    encode_cleaning,
)
from core.model import Article, CleanText, Problem, Severity
from core.resources import xdg_dir

#: ``PRAGMA application_id`` of our files ("CTLC"): tells our cache from a foreign SQLite db
APPLICATION_ID = 0x43544C43
#: the table layout; a file of another schema is set aside, not migrated
SCHEMA_VERSION = 2
FILE_NAME = "analyses.sqlite3"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: files set aside are kept for a look at what went wrong; older ones are removed
KEPT_BAD_COPIES = 3


@contextlib.contextmanager
def _opening_lock(path: Path) -> Iterator[None]:
    """An exclusive lock across processes on ``PATH.lock`` (no lock where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking is all there is
        yield
        return
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def cache_dir() -> Path:
    """The folder of the cache file (``CAMP_TIMELINE_CACHE_DIR`` overrides)."""
    return xdg_dir("CAMP_TIMELINE_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def article_key(article: Article, fingerprint: str) -> str:
    """The hash of what ``analyse_article`` reads: name, date, source and cleaned text,
    the clean-to-source offsets, the pipeline version and the resource tables."""
    digest = hashlib.sha256()
    clean = article.clean
    for part in (analyse.PIPELINE_VERSION, fingerprint, article.file, repr(article.published)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for text in (article.source_text, clean.text if clean else "\0none"):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    if clean is not None:
        digest.update(array("i", clean.offsets).tobytes())  # a copy of an array('i'): fast
    return digest.hexdigest()


def cleaning_key(articles: Sequence[Article], fingerprint: str) -> str:
    """The hash of what cleaning a corpus reads: every file's name and text, in order."""
    digest = hashlib.sha256()
    for part in (analyse.PIPELINE_VERSION, fingerprint, str(len(articles))):
        digest.update(part.encode() + b"\0")
    for article in articles:
        digest.update(article.file.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(article.source_text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _text(name: str) -> str:
    """A name SQLite can store: surrogate escapes of bytes that are not UTF-8 written out."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


class AnalysisCache:
    """The cache file, opened on first use; ``notes`` lists what was set aside and why.

    Every failure is turned into a note and the cache stays usable or goes quiet (gets
    miss, puts are dropped): a cache must never stop a build.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / FILE_NAME
        self.notes: list[Problem] = []
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._reading_only = False

    # --- opening and checking -------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # checking, setting aside and creating happen under one lock, so a process never
            # judges a file another process is creating halfway (seen as a note under load)
            with _opening_lock(self.path):
                reason = self._foreign_reason()
                if reason:
                    self._set_aside(reason)
                self._db = self._open()
        except (OSError, sqlite3.Error) as exc:
            if self._db is not None:
                self._db.close()
            self._db = self._read_only()
            if self._db is None:
                self._give_up(f"cache not usable: {exc}")
            else:
                self._reading_only = True
                self.notes.append(
                    Problem(
                        str(self.path),
                        f"cache cannot be written ({exc}): its entries are read, new "
                        "analyses are not stored",
                        Severity.NOTE,
                    )
                )
        return self._db

    def _read_only(self) -> sqlite3.Connection | None:
        """The cache file opened for reading only (a read-only folder or file), if it is ours."""
        if not self.path.is_file():
            return None
        uri = self.path.resolve().as_uri()
        # immutable: a WAL file in a folder we cannot write has no -shm file to share
        for query in ("mode=ro", "immutable=1"):
            try:
                db = sqlite3.connect(f"{uri}?{query}", uri=True, check_same_thread=False)
            except sqlite3.Error:
                continue
            try:
                ours = db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
                ours = ours and db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
                db.execute("SELECT key FROM analyses LIMIT 1").fetchall()
            except sqlite3.Error:
                db.close()
                continue
            if ours:
                return db
            db.close()
            return None
        return None

    def _foreign_reason(self) -> str:
        """Why the existing file is not our cache, or '' when it is (or does not exist)."""
        if not self.path.exists():
            return ""
        with open(self.path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
        if not head:
            return ""  # an empty file: SQLite makes a database of it
        if head != _SQLITE_MAGIC:
            return "not an SQLite file"
        try:
            db = sqlite3.connect(self.path, timeout=10)
            try:
                app_id = db.execute("PRAGMA application_id").fetchone()[0]
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
                check = db.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            return f"unreadable SQLite file ({exc})"
        if check != "ok":
            return f"damaged SQLite file ({check})"
        if app_id != APPLICATION_ID:
            return "another program's SQLite file" if tables else ""
        if version != SCHEMA_VERSION:
            return f"cache schema {version}, expected {SCHEMA_VERSION}"
        return ""

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        with db:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, file TEXT NOT NULL,"
                " format INTEGER NOT NULL, data BLOB NOT NULL, used REAL NOT NULL)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            # one cleaned corpus per folder: cleaning is corpus-wide, so any change re-cleans
            db.execute(
                "CREATE TABLE IF NOT EXISTS cleanings (root TEXT PRIMARY KEY, key TEXT NOT NULL,"
                " data BLOB NOT NULL)"
            )
        return db

    def _set_aside(self, reason: str) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        aside = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            extra = Path(f"{self.path}{suffix}")
            if extra.exists():
                os.replace(extra, Path(f"{aside}{suffix}"))
        self.notes.append(
            Problem(str(self.path), f"cache set aside as {aside.name}: {reason}", Severity.NOTE)
        )
        self._remove_old_copies()

    def _remove_old_copies(self) -> None:
        """Keep the latest ``KEPT_BAD_COPIES`` files set aside (with their -wal/-shm), no more."""
        copies = sorted(
            p
            for p in self.path.parent.glob(f"{self.path.name}.bad-*")
            if p.name[-4:] not in ("-wal", "-shm")
        )
        for old in copies[:-KEPT_BAD_COPIES]:
            for extra in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
                with contextlib.suppress(OSError):
                    extra.unlink()

    def _give_up(self, reason: str) -> None:
        self._broken = True
        if self._db is not None:
            self._db.close()
        self._db = None
        self.notes.append(Problem(str(self.path), reason, Severity.WARNING))

    def _damaged(self, exc: sqlite3.Error) -> None:
        """A query failed on an open file: set it aside and start a fresh one, once.

        A file only busy with another process's writes is not damaged: that query is
        skipped (a miss, or a write dropped) with a warning, and the file stays.
        """
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            self.notes.append(
                Problem(str(self.path), f"cache busy, entries skipped ({exc})", Severity.WARNING)
            )
            return
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._broken:
            return
        try:
            self._set_aside(f"damaged while in use ({exc})")
            self._db = self._open()
        except (OSError, sqlite3.Error) as again:
            self._give_up(f"cache not usable: {again}")

    # --- entries --------------------------------------------------------------------------

    def get_many(self, keys: Iterable[str]) -> dict[str, ArticleAnalysis]:
        """The cached analyses among ``keys``; an undecodable entry counts as a miss."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, ArticleAnalysis] = {}
        db = self._connection()
        if db is None or not wanted:
            return found
        rows: list[tuple[str, int, bytes]] = []
        try:
            for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows.extend(
                    db.execute(
                        f"SELECT key, format, data FROM analyses WHERE key IN ({marks})", chunk
                    )
                )
        except sqlite3.Error as exc:
            self._damaged(exc)
            return found
        bad = 0
        reason: Exception | None = None
        for key, fmt, data in rows:
            try:
                if fmt != FORMAT_VERSION:
                    raise ValueError(f"format {fmt}")
                found[key] = decode(data, key)
            except DECODE_ERRORS as exc:
                bad += 1
                reason = exc
        if bad:
            self.notes.append(
                Problem(
                    str(self.path),
                    f"{bad} cache entries unreadable, analysed again ({reason})",
                    Severity.NOTE,
                )
            )
        return found

    def put_many(self, items: Iterable[tuple[str, str, ArticleAnalysis]]) -> None:
        """Store (key, file, analysis) entries in one transaction."""
        rows = [
            (key, _text(file), FORMAT_VERSION, encode(a, key), time.time())
            for key, file, a in items
        ]
        self._write("INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?)", rows)

    def _fetch_one(self, sql: str, params: tuple[str, ...]) -> tuple[Any, ...] | None:
        """The first row of a query; None when there is none or the cache cannot answer."""
        db = self._connection()
        if db is None:
            return None
        try:
            row: tuple[Any, ...] | None = db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            self._damaged(exc)
            return None
        return row

    def _write(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Run ``sql`` for every row in one transaction; a failure is handled as damage."""
        db = self._connection()
        if db is None or not rows or self._reading_only:
            return
        try:
            with db:
                db.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._damaged(exc)

    def get_cleaning(self, root: str, key: str) -> tuple[list[CleanText], list[Problem]] | None:
        """The cleaned texts stored for corpus folder ``root`` if they were made from
        exactly these texts (``key``, see ``cleaning_key``); else None."""
        row = self._fetch_one("SELECT key, data FROM cleanings WHERE root = ?", (_text(root),))
        if row is None or row[0] != key:
            return None
        try:
            return decode_cleaning(row[1])
        except DECODE_ERRORS as exc:
            self.notes.append(
                Problem(str(self.path), f"stored cleaning unreadable ({exc})", Severity.NOTE)
            )
            return None

    def put_cleaning(
        self, root: str, key: str, cleans: list[CleanText], problems: list[Problem]
    ) -> None:
        data = encode_cleaning(cleans, problems)
        self._write("INSERT OR REPLACE INTO cleanings VALUES (?, ?, ?)", [(_text(root), key, data)])

    def get_meta(self, key: str) -> str | None:
        row = self._fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(key, value)])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
