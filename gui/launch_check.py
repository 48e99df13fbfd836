"""Can this machine show the window? Asked before Qt is imported, because Qt answers "no"
by aborting the process (``qt.qpa.plugin: Could not load the Qt platform plugin``).

Only the standard library is used: the platform plugin's libraries are listed with ``ldd``
(part of every glibc system) and the X display is tried with libxcb's own connect call.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

#: Debian/Ubuntu packages of the libraries Qt's xcb and wayland plugins load (README lists them)
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
#: the platforms that draw on a screen of this machine (others, such as offscreen, need none)
_SCREEN_PLATFORMS = ("", "xcb", "wayland", "wayland-egl")


def missing_for_window() -> str:
    """What this machine lacks to show the window, as one readable clause; "" when nothing
    (or when the platform is not X11/Wayland on Linux: Windows and macOS always have one)."""
    if not sys.platform.startswith("linux"):
        return ""
    wanted = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted not in _SCREEN_PLATFORMS:
        return ""
    x11, wayland = os.environ.get("DISPLAY", ""), os.environ.get("WAYLAND_DISPLAY", "")
    if wanted == "xcb" or (not wanted and not wayland):
        if not x11:
            return "no display (DISPLAY is not set)"
        return _missing_libraries("xcb") or _unreachable_display(x11)
    if not wayland:
        return "no display (WAYLAND_DISPLAY is not set)"
    return _missing_libraries("wayland")


def _plugin(name: str) -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
    return path if path.exists() else None


def _missing_libraries(platform: str) -> str:
    plugin = _plugin(platform)
    if plugin is None:
        return f"Qt's {platform} platform plugin is not installed (reinstall PySide6-Essentials)"
    try:
        listed = subprocess.run(
            ["ldd", str(plugin)], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return _first_missing(plugin)
    missing = sorted({line.split()[0] for line in listed.splitlines() if "not found" in line})
    if not missing:
        return ""
    packages = " ".join(dict.fromkeys(PACKAGES.get(name, name) for name in missing))
    return (
        f"Qt's {platform} platform plugin needs {', '.join(missing)}, not installed "
        f"(Debian/Ubuntu: sudo apt install {packages})"
    )


def _first_missing(plugin: Path) -> str:
    """Without ldd: load the plugin and report the first library the loader cannot find."""
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return f"Qt's platform plugin cannot be loaded ({exc})"
    return ""


def _unreachable_display(display: str) -> str:
    """Why the X display cannot be reached, asked of libxcb as Qt will ask; "" if it can."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return ""  # _missing_libraries already named libxcb when it is missing
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(os.fsencode(display), None)
    try:
        failed = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    return f"the display {display} cannot be reached (DISPLAY={display})" if failed else ""
