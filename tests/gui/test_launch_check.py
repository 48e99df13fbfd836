"""Starting the window on a machine that cannot show one: one readable line and exit 2,
never Qt's abort (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def launch(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", "gui.cli", "open", "seeds"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux's")
def test_no_display_is_one_line_and_exit_2() -> None:
    done = launch({"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None})
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    expected = (
        "camp-timeline: cannot open the window: no display (DISPLAY is not set); "
        "`camp-timeline build CORPUS` analyses and exports without a window"
    )
    assert lines == [expected]
    assert done.stdout == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux's")
def test_a_display_that_cannot_be_used_is_one_line_and_exit_2(tmp_path) -> None:
    # a display number nothing listens on: either Qt's libraries are missing here (named,
    # with their packages) or the display cannot be reached; never Qt's abort
    done = launch(
        {
            "DISPLAY": ":87",
            "WAYLAND_DISPLAY": None,
            "QT_QPA_PLATFORM": None,
            "XAUTHORITY": str(tmp_path / "none"),
        }
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("camp-timeline: cannot open the window: ")
    assert "camp-timeline build" in lines[0]
    assert "cannot be reached" in lines[0] or "apt install" in lines[0]
