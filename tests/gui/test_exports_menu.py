"""File > Export from the window: CSV and JSON per the contract, PNG, and failed exports."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from core.export import CONTRACT_COLUMNS
from gui import exports
from gui.main_window import MainWindow


@pytest.fixture()
def window(open_seeds) -> MainWindow:
    return open_seeds()


@pytest.fixture()
def save_as(monkeypatch):
    """Answer the save dialog with the given path; records what the dialog was asked."""
    asked = []

    def answer(path):
        def dialog(parent, caption, start, filters):
            asked.append((start, filters))
            return str(path), filters

        monkeypatch.setattr(exports.QFileDialog, "getSaveFileName", dialog)
        return asked

    return answer


def _action(window: MainWindow, text: str):
    menu = window.menuBar().actions()[0].menu()
    (action,) = [a for a in menu.actions() if a.text().startswith(text)]
    return action


def test_csv_export_from_the_menu_round_trips_through_pandas(
    window, save_as, tmp_path, seeds_timeline
):
    target = tmp_path / "내보내기" / "seeds.csv"
    target.parent.mkdir()
    asked = save_as(target)

    _action(window, "CSV").trigger()

    assert asked and asked[0][0].endswith("seeds-timeline.csv")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need
    frame = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns[: len(CONTRACT_COLUMNS)]) == list(CONTRACT_COLUMNS)
    assert list(frame["event_id"]) == list(seeds_timeline.events["event_id"])
    assert list(frame["title"]) == list(seeds_timeline.events["title"])
    assert (frame["char_start"] < frame["char_end"]).all()
    assert str(target) in window.statusBar().currentMessage()
    # the next export starts in the folder used last
    asked_again = save_as(tmp_path / "다음.csv")
    _action(window, "CSV").trigger()
    assert asked_again[-1][0].startswith(str(target.parent))


def test_json_export_carries_events_articles_and_entities(
    window, save_as, tmp_path, seeds_timeline
):
    target = tmp_path / "seeds"  # no suffix typed: the format's is added
    save_as(target)

    _action(window, "JSON").trigger()

    document = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    assert [e["event_id"] for e in document["events"]] == list(seeds_timeline.events["event_id"])
    assert len(document["articles"]) == 5
    assert len(document["entities"]) == len(seeds_timeline.entities)


def test_png_export_from_the_menu_writes_the_whole_timeline(window, save_as, tmp_path):
    target = tmp_path / "seeds.png"
    save_as(target)

    _action(window, "PNG").trigger()

    image = QImage(str(target))
    assert not image.isNull() and image.width() >= 1600


def _older_file(path):
    path.write_text("이전 내보내기\n", encoding="utf-8")
    return path.read_bytes()


def test_an_unwritable_folder_shows_an_error_and_keeps_the_older_file(
    window, save_as, tmp_path, monkeypatch
):
    folder = tmp_path / "잠긴폴더"
    folder.mkdir()
    target = folder / "seeds.csv"
    before = _older_file(target)
    folder.chmod(0o500)  # refuses new files for a normal user ...

    def refuse(*args, **kwargs):  # ... and for root, which chmod does not stop
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.atomic.tempfile.mkstemp", refuse)
    save_as(target)
    try:
        _action(window, "CSV").trigger()
    finally:
        folder.chmod(0o700)

    box = window.last_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical
    assert str(target) in box.text() and "Permission denied" in box.text()
    assert target.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["seeds.csv"]
    box.accept()


@pytest.mark.parametrize("kind", ["CSV", "JSON", "PNG"])
def test_a_failed_rename_keeps_the_older_file_for_every_format(
    window, save_as, tmp_path, monkeypatch, kind
):
    target = tmp_path / f"seeds.{kind.lower()}"
    before = _older_file(target)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("core.atomic.os.replace", fail)
    save_as(target)
    _action(window, kind).trigger()

    box = window.last_message
    assert isinstance(box, QMessageBox) and "No space left" in box.text()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    box.accept()


def test_a_missing_folder_is_an_error_not_a_crash(window, save_as, tmp_path):
    target = tmp_path / "없는폴더" / "seeds.csv"
    save_as(target)

    _action(window, "CSV").trigger()

    box = window.last_message
    assert isinstance(box, QMessageBox) and str(target) in box.text()
    assert not target.exists()
    box.accept()


def test_a_cancelled_dialog_writes_nothing(window, monkeypatch, tmp_path):
    monkeypatch.setattr(exports.QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    assert window.exporter.export("csv") is None
    assert window.last_message is None


def test_the_next_export_starts_in_the_folder_of_the_last_one(window, save_as, tmp_path):
    from gui import settings as keys

    target = tmp_path / "내보낸곳" / "seeds.json"
    target.parent.mkdir()
    asked = save_as(target)

    _action(window, "JSON").trigger()
    _action(window, "CSV").trigger()

    assert window.settings.get(keys.EXPORT_DIR) == str(target.parent)
    assert asked[1][0] == str(target.parent / "seeds-timeline.csv")


def test_the_menu_and_the_command_line_give_a_png_the_same_title(
    window, save_as, tmp_path, monkeypatch, seeds_dir
):
    from gui import png_export
    from gui.cli import main as cli_main

    titles = []
    real = png_export.export_timeline_png

    def recording(events, path, *, title, **options):
        titles.append(title)
        return real(events, path, title=title, **options)

    monkeypatch.setattr(png_export, "export_timeline_png", recording)
    save_as(tmp_path / "menu.png")
    _action(window, "PNG").trigger()
    assert cli_main(["build", str(seeds_dir), "--png", str(tmp_path / "cli.png")]) == 0

    assert len(titles) == 2 and titles[0] == titles[1]
    assert titles[0].startswith(seeds_dir.resolve().name)
