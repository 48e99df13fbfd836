"""Reading the tables in ``resources/``, and a user's own tables that extend them.

Tables are UTF-8 TSV with a header row; lines starting with ``#`` and blank lines are
comments. A user extends a table without editing the package by putting a file of the same
name in the folder named by ``CAMP_TIMELINE_RESOURCES`` (or in ``user_resource_dir()``);
its rows are appended after the bundled ones.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def xdg_dir(env_var: str, xdg_var: str, default_subdir: str) -> Path:
    """Our folder under an XDG base directory: ``$env_var`` if set, else
    ``$xdg_var/camp-timeline``, else ``~/default_subdir/camp-timeline``."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    base = os.environ.get(xdg_var) or os.path.join(os.path.expanduser("~"), default_subdir)
    return Path(base) / "camp-timeline"


def user_resource_dir() -> Path:
    """Where a user's extension tables live (``CAMP_TIMELINE_RESOURCES`` overrides)."""
    return xdg_dir("CAMP_TIMELINE_RESOURCES", "XDG_CONFIG_HOME", ".config")


def resource_path(name: str) -> Path:
    """Filesystem path of a bundled resource (fonts need a real path for Qt)."""
    return Path(str(resources.files("resources").joinpath(name)))


def read_bundled_text(name: str) -> str:
    return resources.files("resources").joinpath(name).read_text(encoding="utf-8")


def parse_table(text: str, source: str = "<table>") -> list[dict[str, str]]:
    """Rows of a TSV text as dicts; ``#`` lines and blank lines are skipped.

    Each row also carries ``_source`` (file and line) so that a bad row can be reported.
    """
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    header = next(csv.reader(io.StringIO(lines[0][1]), delimiter="\t"))
    header = [h.strip() for h in header]
    rows = []
    for number, line in lines[1:]:
        values = line.split("\t")
        row = {key: (values[i].strip() if i < len(values) else "") for i, key in enumerate(header)}
        row["_source"] = f"{source}:{number}"
        rows.append(row)
    return rows


def read_table(name: str, *, include_user: bool = True) -> list[dict[str, str]]:
    """The bundled table ``resources/NAME`` followed by the user's rows of the same name."""
    try:
        rows = parse_table(read_bundled_text(name), f"resources/{name}")
    except FileNotFoundError:
        rows = []
    if include_user:
        user_file = user_resource_dir() / name
        if user_file.is_file():
            rows.extend(parse_table(user_file.read_text(encoding="utf-8-sig"), str(user_file)))
    return rows


#: per thread: the stamps taken since ``tables_read_once`` was entered (None: outside it)
_held = threading.local()


def user_tables_stamp(*names: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """What identifies the user's copies of tables ``names``: their folder, sizes and
    modification times. Equal stamps mean the tables read the same as last time.

    Inside ``tables_read_once`` the first stamp of ``names`` taken in this thread is given
    again without looking at the files."""
    held: dict[tuple[str, ...], tuple[str, tuple[tuple[int, int], ...]]] | None = getattr(
        _held, "stamps", None
    )
    if held is not None:
        stamp = held.get(names)
        if stamp is None:
            stamp = held[names] = _stamp(names)
        return stamp
    return _stamp(names)


def _stamp(names: tuple[str, ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    folder = str(user_resource_dir())
    stamps = []
    for name in names:
        try:
            info = os.stat(os.path.join(folder, name))
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((0, 0))
    return folder if any(s != (0, 0) for s in stamps) else "", tuple(stamps)


@contextlib.contextmanager
def tables_read_once(
    stamps: dict[tuple[str, ...], tuple[str, tuple[tuple[int, int], ...]]] | None = None,
) -> Iterator[None]:
    """Within this block (in this thread), the user's tables are looked at once: a table
    loader checks the files on its first call and trusts that answer afterwards.

    For a build, whose per-article stage calls the loaders tens of times per article
    (measured: 10k file checks, 0.9 s of a 300-article build); a table edited during the
    block is seen by the first loader call after it. Several blocks given the same
    ``stamps`` dict (a generator's, one block per step, so that nothing stays held while
    it is suspended) share one look. Blocks nest; the outermost decides.
    """
    if getattr(_held, "stamps", None) is not None:
        yield
        return
    _held.stamps = {} if stamps is None else stamps
    try:
        yield
    finally:
        _held.stamps = None


def cached_until_user_tables_change(*names: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Decorator for a table loader with no arguments: its result is kept until the user's
    copies of ``names`` change (or the user folder moves), so an edited table is read again
    without restarting the app, and the analysis cache, which hashes the same tables, never
    stores results made with stale ones. ``loader.cache_clear()`` forgets the result.

    Inside ``tables_read_once`` the files are checked once per block, not on every call."""

    def wrap(load: Callable[[], T]) -> Callable[[], T]:
        @functools.lru_cache(maxsize=1)
        def cached(stamp: tuple[str, tuple[tuple[int, int], ...]]) -> T:
            return load()

        @functools.wraps(load)
        def loader() -> T:
            return cached(user_tables_stamp(*names))

        loader.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return loader

    return wrap
