"""The bundled NanumSquare font, so that Hangul renders on a machine with no Korean font."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from core.resources import resource_path

log = logging.getLogger(__name__)

FONT_FILES = ("fonts/NanumSquareR.ttf", "fonts/NanumSquareB.ttf")
#: the family the files declare; used when registration has already happened
BUNDLED_FAMILY = "NanumSquare"

_registered_family: str | None = None


def register_bundled_fonts() -> str:
    """Add the bundled font files to the application's font database; return the family.

    Needs a ``QGuiApplication``. Registering twice is harmless (the files are added once per
    process). Returns ``""`` when no file could be added; the reason is logged.
    """
    global _registered_family
    if _registered_family is not None:
        return _registered_family
    if QGuiApplication.instance() is None:
        raise RuntimeError("register_bundled_fonts() needs a QGuiApplication")
    family = ""
    for name in FONT_FILES:
        path = resource_path(name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not add font %s (missing or unreadable)", path)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        family = family or (families[0] if families else "")
    if family:
        _registered_family = family
    return family


def bundled_font(point_size: float = 10.0, bold: bool = False) -> QFont:
    """A QFont of the bundled family (registering it first)."""
    font = QFont(register_bundled_fonts() or BUNDLED_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def use_bundled_font_as_default(app: QGuiApplication) -> str:
    """Make the bundled family the application's default font; return the family."""
    family = register_bundled_fonts()
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *app.font().families()])
        app.setFont(font)
    return family
