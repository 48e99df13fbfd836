"""The app's persistent settings: the only module that touches ``QSettings``.

Every key is declared once below with its default; the value read back is converted to the
default's type (an INI file gives strings back). Window geometry and splitter state live in
their own ``window/`` group.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "camp-timeline"
APPLICATION = "camp-timeline"
#: how many folders the recent-corpora menu remembers
MAX_RECENT = 8


@dataclass(frozen=True)
class Key:
    name: str
    default: object


RECENT_CORPORA = Key("corpus/recent", [])
SHOW_SOURCE = Key("viewer/show_source", False)
SHOW_PROBLEMS = Key("viewer/show_problems", True)
WINDOW_GEOMETRY = Key("window/geometry", QByteArray())
WINDOW_STATE = Key("window/state", QByteArray())
WINDOW_SPLITTER = Key("window/splitter", QByteArray())
WINDOW_MAIN_SPLITTER = Key("window/main_splitter", QByteArray())
#: the corpus open when the app was last closed (``camp-timeline`` with no folder reopens it)
LAST_CORPUS = Key("corpus/last", "")
#: what the timeline's lanes stand for: camp, actor or event_type
GROUP_BY = Key("viewer/group_by", "camp")
#: where the last export went (the next export dialog starts there)
EXPORT_DIR = Key("corpus/export_folder", "")

KEYS = (
    RECENT_CORPORA,
    LAST_CORPUS,
    EXPORT_DIR,
    GROUP_BY,
    SHOW_SOURCE,
    SHOW_PROBLEMS,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    WINDOW_SPLITTER,
    WINDOW_MAIN_SPLITTER,
)


#: per corpus folder, its last view (``gui.corpus_view.CorpusView`` as JSON)
CORPUS_VIEWS_GROUP = "corpus_views"


class Settings:
    """Typed access to the declared keys over one ``QSettings`` store."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    @classmethod
    def in_file(cls, path: Path) -> Settings:
        """Settings kept in an INI file of one's own (tests, portable use)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def get(self, key: Key) -> object:
        value = self._store.value(key.name, key.default)
        return _convert(value, key.default)

    def set(self, key: Key, value: object) -> None:
        self._store.setValue(key.name, value)

    def sync(self) -> None:
        self._store.sync()

    def recent_corpora(self) -> list[Path]:
        return [Path(p) for p in self.get(RECENT_CORPORA)]  # type: ignore[union-attr]

    def remember_corpus(self, folder: Path) -> list[Path]:
        """Put ``folder`` first in the recent list and return the new list."""
        text = str(folder.resolve())
        recent = [p for p in self.get(RECENT_CORPORA) if p != text]  # type: ignore[union-attr]
        recent = [text, *recent][:MAX_RECENT]
        self.set(RECENT_CORPORA, recent)
        return [Path(p) for p in recent]

    def clear_recent(self) -> None:
        self.set(RECENT_CORPORA, [])

    def startup_corpus(self, fallback: Path) -> Path:
        """The folder ``camp-timeline`` opens with none given: the last corpus if it still
        exists, else ``fallback`` (the bundled seeds)."""
        last = str(self.get(LAST_CORPUS) or "")
        return Path(last) if last and Path(last).is_dir() else fallback

    @staticmethod
    def _view_key(folder: Path) -> str:
        # a digest: a path's slashes would make nested groups of the INI file
        digest = hashlib.sha1(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:20]
        return f"{CORPUS_VIEWS_GROUP}/{digest}"

    def save_corpus_view(self, folder: Path, view_json: str) -> None:
        """Keep the last view of the corpus in ``folder`` (JSON text)."""
        self._store.setValue(self._view_key(folder), view_json)

    def corpus_view(self, folder: Path) -> str:
        """The last view kept for the corpus in ``folder`` (JSON text), or ""."""
        value = self._store.value(self._view_key(folder), "")
        return value if isinstance(value, str) else ""


def _convert(value: object, default: object) -> object:
    if isinstance(default, bool):
        if isinstance(value, str):
            return value.strip().lower() in {"true", "1", "yes"}
        return bool(value)
    if isinstance(default, list):
        # QSettings gives a lone string for a one-item list and None for an empty one
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]  # type: ignore[union-attr]
    if isinstance(default, QByteArray):
        return value if isinstance(value, QByteArray) else QByteArray()
    if isinstance(default, str):
        return value if isinstance(value, str) else default
    return value
