"""The window's side of a corpus's review: its file, its annotations, undo and redo.

Every action is one ``QUndoCommand`` that sets some annotations (``core.review``) to new
values; doing or undoing it saves them at once (``core.review_store``) and lays the whole
review over the machine's timeline again (``core.review.apply_review``), so the shown
timeline is always a function of the machine's and the file's contents.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.model import Corpus, Problem, Severity
from core.review import (
    Annotations,
    Reviewed,
    apply_review,
    corpus_texts,
    event_keys,
    patch_review,
)
from core.review_store import ReviewStore, ReviewStoreError, review_path
from core.timeline import Timeline

#: one change: (kind, key, data or None to delete)
Change = tuple[str, str, dict[str, Any] | None]


@dataclass
class ReviewRead:
    """A corpus's review read and laid over its machine timeline (no Qt: a load makes it on
    its reader thread), and what the window shows: ``corpus`` (with the orphans and a review
    file set aside among its problems) and ``timeline`` (the machine's when there is no
    review at all)."""

    machine_corpus: Corpus
    machine: Timeline
    path: Path
    annotations: Annotations
    problems: list[Problem]
    keys: list[str]
    texts: dict[str, str]
    reviewed: Reviewed
    corpus: Corpus
    timeline: Timeline


def read_review(corpus: Corpus, machine: Timeline) -> ReviewRead:
    """Read ``corpus``'s review (creating nothing) and lay it over ``machine``."""
    store = ReviewStore(review_path(corpus.root))
    try:
        annotations = store.read()
    finally:
        store.close()
    keys = event_keys(machine)
    texts = corpus_texts(corpus)
    reviewed = apply_review(machine, annotations, texts, keys)
    shown_corpus, shown = corpus, machine
    if annotations or store.path.exists() or store.problems:
        shown = reviewed.timeline
        extra = list(store.problems) + [
            Problem(
                str(store.path),
                f"연결이 끊긴 {o.kind} 주석 (근거가 바뀜): {o.label or o.key}",
                Severity.NOTE,
            )
            for o in reviewed.orphans
        ]
        if extra:
            shown_corpus = copy.copy(corpus)
            shown_corpus.problems = [*corpus.problems, *extra]
    return ReviewRead(
        corpus, machine, store.path, annotations, list(store.problems), keys, texts, reviewed,
        shown_corpus, shown,
    )  # fmt: skip


class _SetAnnotations(QUndoCommand):
    """Set annotations to new values; undo sets them back to what they were."""

    def __init__(self, session: ReviewSession, text: str, changes: list[Change]) -> None:
        super().__init__(text)
        self._session = session
        self._after = changes
        self._before: list[Change] = [
            (kind, key, session.annotation(kind, key)) for kind, key, _ in changes
        ]

    def redo(self) -> None:
        self._session._write(self._after)

    def undo(self) -> None:
        self._session._write(list(reversed(self._before)))


class ReviewSession(QObject):
    """The review of the corpus shown in one window."""

    #: the reviewed timeline changed (a load, an action, an undo or a redo)
    changed = Signal(object)  # Reviewed
    #: saving failed; the message names the file and the reason
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._store: ReviewStore | None = None
        self._annotations: Annotations = {}
        self._machine: Timeline | None = None
        self._keys: list[str] = []
        self._texts: dict[str, str] = {}
        self._reviewed: Reviewed | None = None
        self.problems: list[Problem] = []
        #: the events the last change redid, when only their rows changed (else None)
        self.patched_ids: list[str] | None = None

    # -- what is current ----------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The review file (it may not exist yet: it is made on the first action)."""
        return self._store.path if self._store is not None else None

    @property
    def machine(self) -> Timeline | None:
        return self._machine

    @property
    def reviewed(self) -> Reviewed | None:
        return self._reviewed

    @property
    def annotations(self) -> Annotations:
        return dict(self._annotations)

    def machine_key(self, event_id: str) -> str | None:
        """The provenance key of the machine's event ``event_id`` (None if unknown)."""
        if self._machine is None:
            return None
        ids = self._machine.events["event_id"].astype(str).tolist()
        return self._keys[ids.index(event_id)] if event_id in ids else None

    def annotation(self, kind: str, key: str) -> dict[str, Any] | None:
        data = self._annotations.get((kind, key))
        return dict(data) if data is not None else None

    # -- loading ------------------------------------------------------------------------

    def load(self, corpus: Corpus, machine: Timeline, read: ReviewRead | None = None) -> ReviewRead:
        """Take ``corpus``'s review laid over ``machine`` (``read``, if made already from these
        very objects, else read now); the undo history starts over."""
        self.close()
        self.undo_stack.clear()
        if read is None or read.machine is not machine or read.machine_corpus is not corpus:
            read = read_review(corpus, machine)
        self._store = ReviewStore(read.path)  # opened on the first write
        self._annotations = dict(read.annotations)
        self.problems = list(read.problems)
        self._machine = machine
        self._keys = read.keys
        self._texts = read.texts
        self._reviewed = read.reviewed
        return read

    def has_review(self) -> bool:
        """Whether this corpus has a review at all (a file, or annotations)."""
        return bool(self._annotations) or (self.path is not None and self.path.exists())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # -- changing it --------------------------------------------------------------------

    def set(self, kind: str, key: str, data: dict[str, Any] | None, text: str) -> None:
        """Set one annotation (None deletes it) as one undoable action."""
        self.set_many([(kind, key, data)], text)

    def set_many(self, changes: Iterable[Change], text: str) -> None:
        """Set several annotations as one undoable action (nothing when none changes)."""
        changes = [c for c in changes if self._annotations.get((c[0], c[1])) != c[2]]
        if changes and self._machine is not None:
            self.undo_stack.push(_SetAnnotations(self, text, changes))

    def _write(self, changes: list[Change]) -> None:
        assert self._store is not None and self._machine is not None
        had = {(kind, key) for kind, key, _ in changes if (kind, key) in self._annotations}
        for kind, key, data in changes:
            if data is None:
                self._annotations.pop((kind, key), None)
            else:
                self._annotations[(kind, key)] = dict(data)
            try:
                self._store.put(kind, key, data)
            except ReviewStoreError as exc:
                self.failed.emit(str(exc))
        # one event's marks: only its row is redone (the whole review at 10k events is slow
        # for an undo); anything that moves rows lays the whole review over again
        patched = None
        if self._reviewed is not None:
            patched = patch_review(
                self._reviewed, self._machine, self._annotations,
                [(kind, key) for kind, key, _ in changes], self._keys, had,
            )  # fmt: skip
        if patched is not None:
            self._reviewed, self.patched_ids = patched
        else:
            self._reviewed = apply_review(self._machine, self._annotations, self._texts, self._keys)
            self.patched_ids = None
        self.changed.emit(self._reviewed)
