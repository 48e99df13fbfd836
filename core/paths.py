"""Where the bundled corpus lives."""

from __future__ import annotations

from pathlib import Path

#: the project checkout (an editable install runs from it)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    """The bundled ``seeds/`` corpus that ``camp-timeline`` opens with no argument."""
    return PROJECT_ROOT / "seeds"
