"""``core/`` must never import Qt, not even lazily inside a function.

Two checks: a static scan of every ``core/**/*.py`` for import statements (and
``import_module``/``__import__`` calls) naming a Qt package, and a fresh interpreter that
imports every core module and then finds no Qt package in ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

QT_PACKAGES = ("PySide6", "pyqtgraph", "shiboken6")
CORE_DIR = Path(__file__).resolve().parents[2] / "core"


def _is_qt(name: str) -> bool:
    return name.split(".")[0] in QT_PACKAGES


def qt_imports(source: str, filename: str = "<source>") -> list[str]:
    """``file:line name`` for every import of a Qt package in a Python source text."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = [first.value]
        found.extend(f"{filename}:{node.lineno} {name}" for name in names if _is_qt(name))
    return found


def core_files() -> list[Path]:
    return sorted(CORE_DIR.rglob("*.py"))


def test_the_scan_catches_every_form_of_qt_import() -> None:
    source = (
        "import os\n"
        "import pyqtgraph as pg\n"
        "def later():\n"
        "    from PySide6.QtCore import QObject\n"
        "    import importlib\n"
        "    importlib.import_module('shiboken6')\n"
        "    __import__('PySide6.QtGui')\n"
        "from pandas import DataFrame\n"
    )
    hits = qt_imports(source)
    assert sorted(hit.split()[-1] for hit in hits) == [
        "PySide6.QtCore",
        "PySide6.QtGui",
        "pyqtgraph",
        "shiboken6",
    ]
    assert qt_imports("import pandas\nfrom core.model import Article\n") == []


def test_no_core_source_imports_qt() -> None:
    files = core_files()
    assert len(files) >= 5  # the scan really looked at the package
    hits = [hit for path in files for hit in qt_imports(path.read_text("utf-8"), str(path))]
    assert hits == []


def test_importing_every_core_module_loads_no_qt() -> None:
    script = f"""
import importlib, json, pkgutil, sys
import core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {QT_PACKAGES!r})
print(json.dumps({{"modules": names, "qt": qt}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # every core file became a module, so nothing was left out of the import
    expected = {
        "core." + ".".join(p.relative_to(CORE_DIR).with_suffix("").parts)
        for p in core_files()
        if p.name != "__init__.py"
    }
    assert expected <= set(report["modules"])
    assert report["qt"] == []
