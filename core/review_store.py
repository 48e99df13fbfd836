"""Where a corpus's review lives: one SQLite file beside the corpus, saved as it happens.

``CORPUS/.camp-timeline/review.sqlite`` (copying the folder carries the review along); when
the corpus folder cannot be written, a file in the user data folder named after the corpus.
The file is created on the first write, never by reading. It runs in WAL mode, so the window
writing and a ``build`` reading it at once both work, and every write is its own committed
transaction (killing the app loses at most the edit in progress).

A file that is not ours (corrupt, another schema, a newer version) is set aside under a
timestamped name and reported as a ``Problem``; a fresh one is started in its place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from core.model import Problem, Severity
from core.resources import xdg_dir

#: the folder inside a corpus that holds what the app keeps there (never read as articles)
REVIEW_FOLDER = ".camp-timeline"
REVIEW_FILE = "review.sqlite"
SCHEMA = "camp-timeline-review"
VERSION = 1
#: how long a reader or writer waits for the other side's transaction
BUSY_TIMEOUT_S = 5.0


class ReviewStoreError(Exception):
    """The review file cannot be written (the reason names the file)."""


def corpus_review_path(root: Path) -> Path:
    """The review file inside ``root``: ``root/.camp-timeline/review.sqlite``."""
    return Path(root) / REVIEW_FOLDER / REVIEW_FILE


def fallback_review_path(root: Path) -> Path:
    """The review file of ``root`` in the user data folder (for a read-only corpus)."""
    resolved = str(Path(root).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:12]
    base = xdg_dir("CAMP_TIMELINE_DATA_DIR", "XDG_DATA_HOME", os.path.join(".local", "share"))
    return base / "reviews" / f"{Path(resolved).name}-{digest}.sqlite"


def _folder_writable(root: Path) -> bool:
    folder = Path(root) / REVIEW_FOLDER
    if folder.is_dir():
        return os.access(folder, os.W_OK | os.X_OK)
    if folder.exists():  # a file of that name: the folder cannot be made
        return False
    return Path(root).is_dir() and os.access(root, os.W_OK | os.X_OK)


def review_path(root: Path) -> Path:
    """Where ``root``'s review is (or will be) kept.

    The corpus's own file when it exists or can be made; else the user-data one.
    """
    inside = corpus_review_path(root)
    if inside.exists() or _folder_writable(root):
        return inside
    return fallback_review_path(root)


class ReviewStore:
    """The rows of one review file: ``(kind, key) -> data`` (a JSON object).

    Reading a missing file gives nothing and creates nothing; the first ``put`` creates it.
    ``problems`` lists what happened to a file that had to be set aside.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problems: list[Problem] = []
        self._conn: sqlite3.Connection | None = None

    # -- opening ------------------------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not self.path.exists():
            if not create:
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ReviewStoreError(
                    f"{self.path.parent}: cannot make the review folder: {exc.strerror or exc}"
                ) from None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise ReviewStoreError(f"{self.path}: cannot open the review file: {exc}") from None
        reason = self._check(conn, create)
        if reason:
            conn.close()
            self._set_aside(reason)
            return self._connect(create)
        try:
            # set only on a file known to be ours: a foreign one is set aside unchanged
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:
            pass  # a read-only file still reads in its own mode
        self._conn = conn
        return conn

    def _check(self, conn: sqlite3.Connection, create: bool) -> str:
        """Why ``conn``'s file is not a review of ours ('' when it is, made if empty)."""
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables:
                if create:
                    conn.executescript(
                        "BEGIN;"
                        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                        "CREATE TABLE annotations (kind TEXT NOT NULL, key TEXT NOT NULL,"
                        " data TEXT NOT NULL, updated TEXT NOT NULL,"
                        " PRIMARY KEY (kind, key));"
                        f"INSERT INTO meta VALUES ('schema', '{SCHEMA}');"
                        f"INSERT INTO meta VALUES ('version', '{VERSION}');"
                        "COMMIT;"
                    )
                return ""
            if not {"meta", "annotations"} <= tables:
                return "not a review file of camp-timeline (other tables)"
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema") != SCHEMA:
                return f"not a review file of camp-timeline (schema {meta.get('schema')!r})"
            try:
                version = int(meta.get("version", ""))
            except ValueError:
                return f"unreadable version {meta.get('version')!r}"
            if version > VERSION:
                return f"made by a newer camp-timeline (review version {version})"
            if version < VERSION:
                return f"an older review version ({version}) this version cannot read"
            conn.execute("SELECT kind, key, data FROM annotations LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            return f"the file is damaged or not SQLite ({exc})"
        return ""

    def _set_aside(self, reason: str) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}-{n}")
        try:
            self.path.rename(target)
        except OSError as exc:
            raise ReviewStoreError(
                f"{self.path}: {reason}, and it cannot be set aside: {exc.strerror or exc}"
            ) from None
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        self.problems.append(
            Problem(
                str(self.path),
                f"review file set aside as {target.name}: {reason}; a fresh review was started",
                Severity.WARNING,
            )
        )

    # -- reading and writing ------------------------------------------------------------

    def read(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every row, ``(kind, key) -> data``; nothing (and no file made) when absent."""
        try:
            conn = self._connect(create=False)
        except ReviewStoreError as exc:
            self.problems.append(Problem(str(self.path), str(exc)))
            return {}
        if conn is None:
            return {}
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for kind, key, data in conn.execute("SELECT kind, key, data FROM annotations"):
            try:
                value = json.loads(data)
            except ValueError:
                self.problems.append(
                    Problem(str(self.path), f"annotation {kind} {key!r} unreadable; skipped")
                )
                continue
            if isinstance(value, dict):
                out[(kind, key)] = value
        return out

    def put(self, kind: str, key: str, data: dict[str, Any] | None) -> None:
        """Save (or, with None, delete) one row, committed at once."""
        conn = self._connect(create=True)
        assert conn is not None
        try:
            if data is None:
                conn.execute("DELETE FROM annotations WHERE kind = ? AND key = ?", (kind, key))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO annotations VALUES (?, ?, ?, ?)",
                    (
                        kind,
                        key,
                        json.dumps(data, ensure_ascii=False, sort_keys=True),
                        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    ),
                )
        except sqlite3.Error as exc:
            raise ReviewStoreError(f"{self.path}: cannot save the review: {exc}") from None

    def exists(self) -> bool:
        return self.path.exists()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
