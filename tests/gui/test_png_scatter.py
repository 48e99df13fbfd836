"""Regression guard: exporting a scatter plot to PNG must not abort the interpreter.

PySide6-Essentials 6.12.0 with pyqtgraph 0.14.0 dies with "Fatal Python error:
none_dealloc" when ``pyqtgraph.exporters.ImageExporter`` paints a ``ScatterPlotItem``
(6.11.3 does not; pyproject pins PySide6 below 6.12). The export runs in a child
interpreter so that an abort shows up here as a failed test carrying the child's stderr,
instead of killing the whole test run.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

WIDTH = 640

EXPORT_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])

    import pyqtgraph as pg
    import pyqtgraph.exporters
    from gui.fonts import bundled_font

    plot = pg.PlotWidget()
    plot.resize(500, 320)
    scatter = pg.ScatterPlotItem(
        x=[1.0, 2.0, 3.0, 4.0],
        y=[2.0, 1.0, 3.0, 2.5],
        size=14,
        symbol=["o", "s", "t", "d"],
        brush=[pg.mkBrush(220, 60, 60), pg.mkBrush(60, 120, 220),
               pg.mkBrush(60, 180, 90), pg.mkBrush(150, 150, 150)],
        pen=pg.mkPen("k"),
    )
    plot.addItem(scatter)
    label = pg.TextItem("개방 진영: 새 모델 공개", color="k")
    label.setFont(bundled_font(11))
    label.setPos(2.0, 3.0)
    plot.addItem(label)
    plot.setLabel("bottom", "날짜")

    exporter = pyqtgraph.exporters.ImageExporter(plot.plotItem)
    exporter.parameters()["width"] = int(sys.argv[2])
    exporter.export(sys.argv[1])
    print("exported")
    """
)


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking signature and CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert zlib.crc32(kind + body) == crc, "IHDR checksum is wrong"
    assert data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"), "PNG has no IEND chunk"
    width, height = struct.unpack(">II", body[:8])
    return width, height


def test_scatter_plot_exports_to_png_in_a_child_process(tmp_path: Path):
    out = tmp_path / "산점도.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", EXPORT_SCRIPT, str(out), str(WIDTH)],
        check=False,  # an abort is reported below, with the child's stderr
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert result.returncode == 0, (
        f"the PNG export died (exit {result.returncode}); a PySide6/pyqtgraph bump may have "
        f"brought back the ImageExporter abort. stderr:\n{result.stderr}"
    )
    assert "exported" in result.stdout
    width, height = _png_size(out.read_bytes())
    assert width == WIDTH
    assert 200 < height < 600  # follows the widget's aspect ratio (500 x 320)
