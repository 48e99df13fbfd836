"""PNG export of the whole timeline: a real PNG, Hangul-capable fonts, every event drawn
whatever the live view shows, atomic writes, and ``camp-timeline build --png``."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage

from core.atomic import ExportError
from gui.camp_colors import CAMPS, camp_color

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def seeds_events(seeds_timeline) -> pd.DataFrame:
    return seeds_timeline.events


@pytest.fixture()
def fonts(qapp) -> str:
    from gui.fonts import register_bundled_fonts

    return register_bundled_fonts()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking signature, CRC and IEND."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:29]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[29:33])[0]
    assert data.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", body[:8])


def camp_pixels(image: QImage, rect: tuple[int, int, int, int], camp: str) -> np.ndarray:
    """Mask over ``rect`` of pixels close to the camp's colour (marks, not the pale lane)."""
    x, y, w, h = rect
    part = image.copy(x, y, w, h).convertToFormat(QImage.Format.Format_RGB888)
    stride = part.bytesPerLine()
    raw = np.frombuffer(part.constBits(), dtype=np.uint8, count=stride * h)
    pixels = raw.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).astype(int)
    target = QColor(camp_color(camp))
    want = np.array([target.red(), target.green(), target.blue()])
    # solid fills, outlines and markers; bars drawn at 170/255 alpha over a pale lane too
    return np.abs(pixels - want).sum(axis=2) < 110


def mark_band(y: int, h: int) -> tuple[int, int]:
    """Top and height, in image pixels, of the band of a lane where markers and bars sit
    (below the label rows, so that grey anti-aliased text cannot pass for a neutral mark)."""
    from gui.timeline_labels import MARK_BAND

    low, high = MARK_BAND
    return int(y + h * (1 - high)), int(h * (high - low))


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["date_start"].fillna("").astype(str) != ""]


def test_seeds_export_is_a_wide_png_with_hangul_fonts(tmp_path, seeds_events, fonts):
    from gui.png_export import export_timeline_png

    out = tmp_path / "타임라인.png"
    result = export_timeline_png(seeds_events, out, title="시드 기사 진영 타임라인")
    width, height = png_size(out.read_bytes())
    assert width >= 1600 and (width, height) == (result.width, result.height)
    assert width == 3200  # 1600 layout pixels at 2x
    image = QImage(str(out))
    assert not image.isNull() and image.width() == width
    assert result.font_family == fonts
    assert QFontMetrics(QFont(result.font_family)).inFontUcs4(ord("한"))
    assert QFontMetrics(QFont(result.font_family)).inFontUcs4(ord("폐"))
    assert result.undated == len(seeds_events) - len(dated(seeds_events))


def test_export_draws_every_event_even_when_the_live_view_is_zoomed_in(
    show_timeline, tmp_path, seeds_events, fonts
):
    from gui.date_axis import date_to_seconds
    from gui.png_export import export_timeline_png

    live = show_timeline(seeds_events, (900, 420))
    frame = dated(seeds_events)
    latest = frame.sort_values("date_start").iloc[-1]
    live.select_event(str(latest["event_id"]), zoom=True)
    zoomed = live.x_range()
    live_visible = live.relayout_labels()
    assert len(live_visible.labelled | live_visible.collapsed) < len(frame)  # some are off screen

    out = tmp_path / "전체.png"
    result = export_timeline_png(seeds_events, out, title="전체 보기")
    assert live.x_range() == zoomed  # the live view was left alone
    assert result.drawn_ids == set(frame["event_id"])

    # every dated event leaves marks of its camp's colour at its place in its lane
    image = QImage(str(out))
    lo, hi = result.x_range
    for row in frame.itertuples():
        camp = row.camp if row.camp in CAMPS else "neutral"
        x, y, w, h = result.lane_rects[camp]
        start = date_to_seconds(pd.Timestamp(row.date_start).date())
        end = date_to_seconds(pd.Timestamp(row.date_end).date()) + 86_400
        left = x + int((start - lo) / (hi - lo) * w) - 14
        right = x + int((end - lo) / (hi - lo) * w) + 14
        strip = (left, *mark_band(y, h), right - left)
        strip = (strip[0], strip[1], strip[3], strip[2])
        assert camp_pixels(image, strip, camp).sum() >= 20, row.event_id
    # and a lane with no dated event shows no marks
    empty = set(CAMPS) - {c if c in CAMPS else "neutral" for c in frame["camp"]}
    for camp in empty:
        x, y, w, h = result.lane_rects[camp]
        top, height = mark_band(y, h)
        assert camp_pixels(image, (x, top, w, height), camp).sum() == 0


def test_an_unwritable_target_raises_and_keeps_the_old_file(
    tmp_path, monkeypatch, seeds_events, fonts
):
    from gui.png_export import export_timeline_png

    out = tmp_path / "old.png"
    out.write_bytes(b"an older export")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.atomic.tempfile.mkstemp", refuse)
    with pytest.raises(ExportError, match="Permission denied") as info:
        export_timeline_png(seeds_events, out, title="실패")
    assert info.value.path == out
    assert out.read_bytes() == b"an older export"
    monkeypatch.undo()

    def fail_rename(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("core.atomic.os.replace", fail_rename)
    with pytest.raises(ExportError, match="No space left"):
        export_timeline_png(seeds_events, out, title="실패")
    assert out.read_bytes() == b"an older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]  # no temp file left


def test_a_missing_folder_is_an_export_error(tmp_path, seeds_events, fonts):
    from gui.png_export import export_timeline_png

    target = tmp_path / "없는폴더" / "t.png"
    with pytest.raises(ExportError, match="not an existing folder"):
        export_timeline_png(seeds_events, target, title="x")
    assert not target.parent.exists()


def test_an_empty_timeline_still_exports(tmp_path, fonts):
    from gui.png_export import export_timeline_png

    out = tmp_path / "빈.png"
    result = export_timeline_png(pd.DataFrame(), out, title="사건 없음")
    assert png_size(out.read_bytes())[0] == 3200
    assert result.drawn_ids == set()


def test_build_png_renders_offscreen_without_a_display(tmp_path, seeds_dir):
    out = tmp_path / "build.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen by itself
    result = subprocess.run(
        [sys.executable, "-m", "gui.cli", "build", str(seeds_dir), "--png", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert png_size(out.read_bytes())[0] >= 1600


def test_build_png_into_a_missing_folder_fails_before_the_analysis(tmp_path, seeds_dir, capsys):
    from gui.cli import main

    assert main(["build", str(seeds_dir), "--png", str(tmp_path / "no" / "t.png")]) == 1
    assert "not an existing folder" in capsys.readouterr().err


def test_bytes_are_written_atomically_and_exactly(tmp_path):
    from core.atomic import write_bytes_atomic

    data = bytes(range(256)) * 3 + b"\r\n\n\r"
    out = tmp_path / "raw.bin"
    write_bytes_atomic(out, data)
    assert out.read_bytes() == data


def test_the_export_title_names_the_corpus_folder(tmp_path, monkeypatch):
    from gui.png_export import timeline_title

    folder = tmp_path / "가상 기사 모음"
    folder.mkdir()
    assert timeline_title(folder) == "가상 기사 모음: AI 진영 타임라인"
    assert timeline_title(str(folder)) == "가상 기사 모음: AI 진영 타임라인"
    monkeypatch.chdir(folder)  # a relative folder is named as it resolves, not as "."
    assert timeline_title(".") == "가상 기사 모음: AI 진영 타임라인"
    assert timeline_title(None) == timeline_title("") == "AI 진영 타임라인"
