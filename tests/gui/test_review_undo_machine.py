"""Random review actions, undos, redos and reloads (Hypothesis state machine).

Undoing everything gives back the timeline as it was when the review was last read (the
machine's timeline at first), and reading the review again gives the timeline as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from core.model import Corpus
from core.review import (
    ADDED,
    ENTITY,
    EVENT,
    KEY_COLUMN,
    MERGE,
    SPLIT,
    added_event,
    event_label,
    mention_key,
    updated,
    validate_edits,
)
from gui.review_session import ReviewSession

EDITS = st.sampled_from(
    [
        {"camp": "open"},
        {"camp": "crossover"},
        {"title": "고친 제목"},
        {"event_type": "partnership"},
        {"actors": "메타;구글"},
        {"date_start": "2024-08"},
        {"date_start": "2023-01-02", "date_end": "2023-02-10"},
        {"date_start": ""},
    ]
)


def frame_of(session: ReviewSession) -> pd.DataFrame:
    assert session.reviewed is not None
    return session.reviewed.timeline.events.reset_index(drop=True)


def test_random_actions_undo_to_the_machine_and_reload_to_the_same(
    qapp, seeds_corpus, seeds_timeline
):
    folders: list[Path] = []

    class ReviewMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            root = Path(tempfile.mkdtemp(prefix="review-machine-"))
            folders.append(root)
            self.corpus = Corpus(root, seeds_corpus.articles, [])
            self.session = ReviewSession()
            self.session.load(self.corpus, seeds_timeline)
            #: the timeline when the review was last read: what undoing everything gives
            self.base = frame_of(self.session)

        def pick(self, n: int) -> dict:
            events = frame_of(self.session)
            return events.iloc[n % len(events)].to_dict()

        def set_event(self, row: dict, **changes: object) -> None:
            key = row[KEY_COLUMN]
            data = updated(self.session.annotation(EVENT, key), **changes)
            if data is not None:
                data["label"] = event_label(row)
            self.session.set(EVENT, key, data, "action")

        @rule(n=st.integers(0, 500), verdict=st.sampled_from(["accepted", "rejected", ""]))
        def review(self, n: int, verdict: str) -> None:
            self.set_event(self.pick(n), review=verdict)

        @rule(n=st.integers(0, 500))
        def star(self, n: int) -> None:
            row = self.pick(n)
            self.set_event(row, starred=not row["starred"])

        @rule(
            n=st.integers(0, 500),
            tags=st.lists(st.sampled_from(["중요", "확인", "a;b"]), max_size=2),
        )
        def tag(self, n: int, tags: list[str]) -> None:
            self.set_event(self.pick(n), tags=[t.replace(";", " ") for t in tags])

        @rule(n=st.integers(0, 500), text=st.text(max_size=12))
        def note(self, n: int, text: str) -> None:
            self.set_event(self.pick(n), note=text.strip())

        @rule(n=st.integers(0, 500), edits=EDITS)
        def edit(self, n: int, edits: dict) -> None:
            row = self.pick(n)
            old = dict((self.session.annotation(EVENT, row[KEY_COLUMN]) or {}).get("edits") or {})
            old.update(validate_edits(edits))
            self.set_event(row, edits=old)

        @rule(a=st.integers(0, 500), b=st.integers(0, 500))
        def merge(self, a: int, b: int) -> None:
            first, second = self.pick(a), self.pick(b)
            if first[KEY_COLUMN] != second[KEY_COLUMN]:
                self.session.set(MERGE, first[KEY_COLUMN], {"into": second[KEY_COLUMN]}, "merge")

        @rule(n=st.integers(0, 500))
        def split(self, n: int) -> None:
            row = self.pick(n)
            mentions = self.session.reviewed.timeline.mentions
            own = mentions[
                (mentions["event_id"] == row["event_id"]) & ~mentions["primary"].astype(bool)
            ]
            if len(own):
                key = mention_key(own.iloc[0].to_dict())
                self.session.set(SPLIT, key, {"from": row[KEY_COLUMN]}, "split")

        @rule(a=st.integers(0, 4), s=st.integers(0, 30))
        def add(self, a: int, s: int) -> None:
            article = seeds_corpus.articles[a]
            sentence = article.sentences[s % len(article.sentences)]
            text = article.source_text[sentence.start : sentence.end]
            key, data = added_event(article.file, sentence.start, sentence.end, text, "추가")
            self.session.set(ADDED, key, data, "add")

        @rule(n=st.integers(0, 50), camp=st.sampled_from(["open", "closed"]))
        def entity_camp(self, n: int, camp: str) -> None:
            entities = seeds_timeline.entities
            linked = entities[entities["entity_id"] != ""]
            key = str(linked.iloc[n % len(linked)]["entity_id"])
            self.session.set(ENTITY, key, {"camp": camp}, "entity")

        @precondition(lambda self: self.session.undo_stack.canUndo())
        @rule()
        def undo(self) -> None:
            self.session.undo_stack.undo()

        @precondition(lambda self: self.session.undo_stack.canRedo())
        @rule()
        def redo(self) -> None:
            self.session.undo_stack.redo()

        @rule()
        def reload(self) -> None:
            before = frame_of(self.session)
            self.session.close()
            self.session = ReviewSession()
            self.session.load(self.corpus, seeds_timeline)
            pd.testing.assert_frame_equal(frame_of(self.session), before)
            self.base = before

        @rule()
        def undo_everything(self) -> None:
            while self.session.undo_stack.canUndo():
                self.session.undo_stack.undo()
            pd.testing.assert_frame_equal(frame_of(self.session), self.base)

        @invariant()
        def machine_is_untouched(self) -> None:
            assert KEY_COLUMN not in seeds_timeline.events.columns

        def teardown(self) -> None:
            self.session.close()

    try:
        run_state_machine_as_test(
            ReviewMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def test_undoing_everything_from_the_first_read_gives_the_machine_values(
    qapp, seeds_corpus, seeds_timeline, tmp_path
) -> None:
    session = ReviewSession()
    session.load(Corpus(tmp_path, seeds_corpus.articles, []), seeds_timeline)
    row = frame_of(session).iloc[0].to_dict()
    session.set(EVENT, row[KEY_COLUMN], {"edits": {"camp": "crossover"}, "review": "rejected"}, "x")
    assert frame_of(session).iloc[0]["camp"] == "crossover"
    session.undo_stack.undo()
    machine = seeds_timeline.events.reset_index(drop=True)
    pd.testing.assert_frame_equal(frame_of(session)[list(machine.columns)], machine)
    assert set(frame_of(session)["review"]) == {"unreviewed"}
    session.close()


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
