"""Help: the version, the About box (version and licences) and the shortcuts list.

``app_version`` imports no Qt (the command line's ``--version`` uses it); the dialogs
import Qt when made.
"""

from __future__ import annotations

import html
from importlib import metadata
from pathlib import Path

from core.paths import PROJECT_ROOT

#: the licences of what the app ships or runs on, as the About box lists them
LICENCES = (
    (
        "NanumSquare 글꼴",
        "© NAVER Corporation, SIL Open Font License 1.1",
        "resources/fonts/OFL-NanumSquare.txt",
    ),
    ("camp-timeline", "MIT License", ""),
    ("Qt / PySide6", "LGPL v3", ""),
    ("pyqtgraph", "MIT License", ""),
    ("pandas", "BSD 3-Clause License", ""),
    ("kiwipiepy (Kiwi 형태소 분석기)", "LGPL v3", ""),
)


def app_version() -> str:
    """The installed version of camp-timeline, else the one pyproject.toml declares."""
    try:
        return metadata.version("camp-timeline")
    except metadata.PackageNotFoundError:
        pass
    try:
        import tomllib

        with (PROJECT_ROOT / "pyproject.toml").open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def about_html() -> str:
    """The About box's text: name, version, what it does, and the licences."""
    rows = "".join(
        f"<li><b>{html.escape(name)}</b>: {html.escape(licence)}"
        + (f" (<code>{html.escape(where)}</code>)" if where else "")
        + "</li>"
        for name, licence, where in LICENCES
    )
    return (
        f"<h3>camp-timeline {html.escape(app_version())}</h3>"
        "<p>AI 경쟁에 관한 한국어 뉴스 폴더를 사건 타임라인으로 보여 줍니다. "
        "모든 사건은 출처 문장으로 거슬러 갈 수 있습니다.</p>"
        f"<p>라이선스</p><ul>{rows}</ul>"
    )


def font_licence_path() -> Path:
    return PROJECT_ROOT / "resources" / "fonts" / "OFL-NanumSquare.txt"


def shortcuts_html(actions: list[object]) -> str:
    """A table of the ``actions`` (QActions) that have shortcuts: name and keys."""
    from PySide6.QtGui import QKeySequence

    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if not keys:
            continue
        name = action.text().replace("&", "").rstrip("…")
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(', '.join(keys))}</b></td></tr>"
        )
    extra = (
        ("시간축 이동", "끌기"),
        ("확대·축소", "마우스 휠"),
        ("사건 메뉴", "사건에서 오른쪽 단추"),
    )
    rows += [f"<tr><td>{a}</td><td><b>{b}</b></td></tr>" for a, b in extra]
    return f"<table cellspacing='6'>{''.join(rows)}</table>"
