"""Settings: declared keys come back with their defaults' types from an INI file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray

from gui import settings as keys
from gui.settings import MAX_RECENT, Settings


def test_defaults_when_nothing_is_stored(settings):
    assert settings.get(keys.SHOW_SOURCE) is False
    assert settings.get(keys.SHOW_PROBLEMS) is True
    assert settings.get(keys.RECENT_CORPORA) == []
    geometry = settings.get(keys.WINDOW_GEOMETRY)
    assert isinstance(geometry, QByteArray) and geometry.isEmpty()


def test_values_survive_a_new_settings_object(tmp_path):
    path = tmp_path / "설정.ini"
    first = Settings.in_file(path)
    first.set(keys.SHOW_SOURCE, True)
    first.set(keys.WINDOW_SPLITTER, QByteArray(b"\x00\x01splitter"))
    first.remember_corpus(tmp_path)
    first.sync()

    again = Settings.in_file(path)
    assert again.get(keys.SHOW_SOURCE) is True
    assert again.get(keys.WINDOW_SPLITTER) == QByteArray(b"\x00\x01splitter")
    # a one-item list comes back from an INI file as a lone string; still a list here
    assert again.recent_corpora() == [tmp_path.resolve()]
    assert "[window]" in path.read_text(encoding="utf-8")


def test_recent_corpora_are_most_recent_first_without_duplicates(settings, tmp_path):
    folders = [tmp_path / f"코퍼스{i}" for i in range(MAX_RECENT + 2)]
    for folder in folders:
        settings.remember_corpus(folder)
    settings.remember_corpus(folders[-3])

    recent = settings.recent_corpora()
    assert recent[0] == folders[-3].resolve()
    assert len(recent) == MAX_RECENT == len(set(recent))
    assert folders[0].resolve() not in recent
    settings.clear_recent()
    assert settings.recent_corpora() == []


def test_every_key_is_declared_once():
    names = [key.name for key in keys.KEYS]
    assert len(names) == len(set(names))
    assert all(Path(name).parts[0] in {"corpus", "viewer", "window"} for name in names)
