"""The bundled font gives Hangul glyphs on a machine that has no Korean font of its own."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QRawFont

from gui.fonts import bundled_font, register_bundled_fonts, use_bundled_font_as_default


def test_registered_family_has_hangul_glyphs(qapp):
    family = register_bundled_fonts()

    assert family == "NanumSquare"
    font = QFont(family, 12)
    assert QFontMetrics(font).inFontUcs4(ord("한"))
    # the primary font itself (not a fallback) has the glyph
    raw = QRawFont.fromFont(font)
    assert raw.familyName() == family
    assert raw.supportsCharacter(ord("한")) and raw.supportsCharacter(ord("글"))
    assert register_bundled_fonts() == family  # idempotent


def test_bold_face_is_registered_too(qapp):
    register_bundled_fonts()
    raw = QRawFont.fromFont(bundled_font(12, bold=True))
    assert raw.familyName() == "NanumSquare" and raw.weight() >= QFont.Weight.Bold.value


def _render(text: str, font: QFont) -> QImage:
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(QPoint(4, 30), text)
    painter.end()
    return image


def _ink(image: QImage) -> list[tuple[int, int]]:
    return [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 128
    ]


def test_hangul_renders_as_distinct_glyphs_not_boxes(qapp):
    font = bundled_font(20)
    han, geul = _render("한", font), _render("글", font)

    assert len(_ink(han)) > 20 and len(_ink(geul)) > 20
    # a missing glyph draws the same box for every character; real glyphs differ
    assert _ink(han) != _ink(geul)


def test_app_default_font_becomes_the_bundled_family(qapp):
    before = qapp.font()
    try:
        family = use_bundled_font_as_default(qapp)
        assert qapp.font().families()[0] == family == "NanumSquare"
        assert QFontMetrics(qapp.font()).inFontUcs4(ord("가"))
    finally:
        qapp.setFont(before)
