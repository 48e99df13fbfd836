"""Shared fixtures. Qt runs offscreen; user extension tables never leak into tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def _no_user_resources(tmp_path_factory, monkeypatch):
    """Point the user resource folder at an empty directory for every test."""
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path_factory.mktemp("user-resources")))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_corpus():
    """The bundled seeds, loaded, cleaned and segmented once per test session."""
    from core.pipeline import build

    return build(SEEDS)


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path_factory, monkeypatch):
    """Point the analysis cache at an empty directory for every test (never ~/.cache)."""
    monkeypatch.setenv("CAMP_TIMELINE_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))
