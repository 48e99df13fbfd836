"""Finding event predicates in a sentence's Kiwi morphemes.

The predicates and their event types live in ``resources/event_predicates.tsv`` so a user
can add a verb without touching code. A predicate is matched on morphemes (form and tag),
never on raw text, so ``공개`` inside ``비공개`` or a noun phrase ``공개 범위`` does not fire,
while inflections (``공개했다``, ``공개된``, ``출범시켰다``, ``내놨다``) do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Problem, Severity, Token
from core.resources import cached_until_user_tables_change, read_table

#: verbal suffixes that turn a predicate noun into a verb; 되 makes it passive
_VERBAL_SUFFIXES = {"하", "되", "시키", "당하"}
#: light verbs after a noun and a particle: 협업에 나섰다, 공개에 나섰다
_LIGHT_VERBS = {("에", "나서")}
#: intransitive verbs whose subject is what the event is about: 서울에서 열린 행사
INTRANSITIVE = {"열리"}
#: time nouns after a bare predicate noun that make it a report: 지난해 말 출시 이후
_REPORT_NOUNS = {"이후", "당시", "직후"}

EVENT_TYPES = (
    "release",
    "open_release",
    "partnership",
    "alliance",
    "announcement",
    "statement",
    "meeting",
    "conference",
    "leak",
    "plan",
    "investment",
    "acquisition",
    "founding",
    "apply",
    "policy",
    "market",
    "other",
)


class PredicateTableError(ValueError):
    """A row of the predicate table cannot be used; the message names the row."""


@dataclass(frozen=True)
class Predicate:
    """One row of the predicate table."""

    lemma: str
    sequences: tuple[tuple[tuple[str, str], ...], ...]  # alternatives of (form, tag) runs
    event_type: str
    headline: str
    needs_object: bool = False  # weak: an event only with a model/product it acts on


@dataclass(frozen=True)
class Trigger:
    """A predicate found in a token list: tokens ``first..last`` (inclusive) realise it."""

    predicate: Predicate
    first: int
    last: int
    passive: bool  # 공개되다, 체결되다: the grammatical subject is the thing acted on
    nominal: bool = False  # 출시 이후, 공개 당시: the bare noun dates a report of its own

    @property
    def lemma(self) -> str:
        return self.predicate.lemma

    @property
    def event_type(self) -> str:
        return self.predicate.event_type


def base_tag(tag: str) -> str:
    """Kiwi marks irregular conjugations (``VV-R``, ``VV-I``); the part of speech is before ``-``."""
    base = _BASE_TAGS.get(tag)
    if base is None:  # Kiwi has a few dozen tags: each is split once
        base = _BASE_TAGS[tag] = tag.split("-", 1)[0]
    return base


_BASE_TAGS: dict[str, str] = {}


def parse_predicates(
    rows: list[dict[str, str]], problems: list[Problem] | None = None
) -> list[Predicate]:
    """Predicates from table rows.

    A malformed row raises ``PredicateTableError`` naming its file and line; when
    ``problems`` is given, the row is skipped and the problem appended instead.
    """
    out = []
    for row in rows:
        try:
            out.append(_parse_row(row))
        except PredicateTableError as exc:
            if problems is None:
                raise
            where = row.get("_source", "event_predicates.tsv").rsplit(":", 1)[0]
            problems.append(Problem(where, f"{exc} (행을 건너뜀)", Severity.WARNING))
    return out


def _parse_row(row: dict[str, str]) -> Predicate:
    where = row.get("_source", "event_predicates.tsv")
    lemma = row.get("lemma", "")
    event_type = row.get("event_type", "")
    if not lemma or not row.get("morphs"):
        raise PredicateTableError(f"{where}: a predicate needs a lemma and morphs")
    if event_type not in EVENT_TYPES:
        raise PredicateTableError(f"{where}: unknown event type {event_type!r}")
    sequences = []
    for alternative in row["morphs"].split("|"):
        seq = []
        for morph in alternative.split("+"):
            form, _, tag = morph.strip().rpartition("/")
            if not form or not tag:
                raise PredicateTableError(f"{where}: morpheme {morph!r} is not FORM/TAG")
            seq.append((form, tag))
        sequences.append(tuple(seq))
    needs_object = (row.get("needs_object") or "").lower() in {"yes", "y", "true", "1"}
    return Predicate(lemma, tuple(sequences), event_type, row.get("headline") or "", needs_object)


#: rows of the predicate table that could not be used, from the last load
_PROBLEMS: list[Problem] = []


@cached_until_user_tables_change("event_predicates.tsv")
def load_predicates() -> tuple[Predicate, ...]:
    """The bundled predicate table plus the user's rows; bad rows are skipped and reported
    by ``predicate_problems()``."""
    _PROBLEMS.clear()
    return tuple(parse_predicates(read_table("event_predicates.tsv"), _PROBLEMS))


def predicate_problems() -> list[Problem]:
    """Rows of the predicate tables that were skipped, each naming its file and line."""
    load_predicates()
    return list(_PROBLEMS)


def find_triggers(
    tokens: Sequence[Token], predicates: tuple[Predicate, ...] | None = None
) -> list[Trigger]:
    """Every predicate realised in ``tokens``, in order; overlapping matches keep the longest."""
    index = _index(load_predicates() if predicates is None else predicates)
    found: list[Trigger] = []
    free = 0  # tokens before this one belong to a trigger already found
    # only a token whose form begins some predicate can start one: the others are passed
    # over without a tag split or a match
    for i in [i for i, t in enumerate(tokens) if t.form in index]:
        if i < free:
            continue
        best: Trigger | None = None
        for predicate, seq in index[tokens[i].form].get(base_tag(tokens[i].tag), ()):
            trigger = _match(tokens, i, seq, predicate)
            if trigger is not None and (best is None or trigger.last > best.last):
                best = trigger
        if best is not None:
            found.append(best)
            free = best.last + 1
    return found


_Index = dict[str, dict[str, list[tuple[Predicate, tuple[tuple[str, str], ...]]]]]
#: indexes of the last few predicate tuples, by the tuple's identity (hashing a tuple of
#: predicates on every sentence cost more than matching); each entry keeps its tuple alive,
#: so an id is never reused while it is a key
_INDEXES: dict[int, tuple[tuple[Predicate, ...], _Index]] = {}


def _index(predicates: tuple[Predicate, ...]) -> _Index:
    """Morpheme sequences by their first morpheme (form, then tag), so a token is checked
    against few rows."""
    known = _INDEXES.get(id(predicates))
    if known is not None and known[0] is predicates:
        return known[1]
    index: _Index = {}
    for predicate in predicates:
        for seq in predicate.sequences:
            form, tag = seq[0]
            index.setdefault(form, {}).setdefault(tag, []).append((predicate, seq))
    if len(_INDEXES) >= 8:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[id(predicates)] = (predicates, index)
    return index


def _match(
    tokens: Sequence[Token], i: int, seq: tuple[tuple[str, str], ...], predicate: Predicate
) -> Trigger | None:
    if i + len(seq) > len(tokens):
        return None
    for offset, (form, tag) in enumerate(seq):
        token = tokens[i + offset]
        if token.form != form or base_tag(token.tag) != tag:
            return None
    last = i + len(seq) - 1
    if seq[-1][1] != "NNG":
        return Trigger(predicate, i, last, passive=seq[-1][0] in INTRANSITIVE)
    # a predicate noun is an event only when it is used as a verb
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if nxt is None:
        return None
    if base_tag(nxt.tag) == "XSV" and nxt.form in _VERBAL_SUFFIXES:
        return Trigger(predicate, i, last + 1, passive=nxt.form in {"되", "당하"})
    after = tokens[last + 2] if last + 2 < len(tokens) else None
    if after is not None and (nxt.form, after.form) in _LIGHT_VERBS and after.tag.startswith("VV"):
        return Trigger(predicate, i, last + 2, passive=False)
    if nxt.form in _REPORT_NOUNS and base_tag(nxt.tag) == "NNG" and len(seq) == 1:
        return Trigger(predicate, i, last, passive=False, nominal=True)
    return None
