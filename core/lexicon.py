"""The entity lexicon: who and what the AI-race articles talk about, read from ``resources/``.

The lexicon is the source of entity identity (Kiwi only finds token boundaries). It is
built from two readable tables a user can extend through ``core.resources.read_table``:

- ``entities.tsv``: one row per canonical entity (id, type, Korean name, parent, camp,
  camp evidence, ``|``-separated aliases, note, and the aliases that are also ordinary
  words and so count only in context). A later row with an existing id (say, from
  the user's own table) adds its aliases and overrides the fields it fills.
- ``entity_aliases.tsv``: extra ``entity_id``/``alias`` pairs, the easy way for a user to
  add a spelling without repeating an entity row.
- ``entity_type_cues.tsv``: words that tell the type of a name the lexicon lacks
  (``스타트업 노바젠`` an organisation, ``'라온-2'라는 모델`` a model); see ``core.entities``.

A name the lexicon lacks that ``core.entities`` finds typed becomes a *discovered* entity
(``Entity.source == DISCOVERED``); ``Lexicon.with_discovered`` gives a lexicon that also
knows an article's discovered entities, so events can name them. Discovered entities never
enter the tables and never take a camp of their own: a version of a lexicon family
(``젬마 4`` -> ``Gemma 4`` under Gemma) inherits the family's.

Bad rows (unknown type or camp, missing parent, parent cycles, an alias claimed by two
entities) are skipped or fixed and reported in ``Lexicon.problems`` with file and line.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from core.model import Problem, Severity
from core.resources import (
    cached_until_user_tables_change,
    parse_table,
    read_table,
    user_resource_dir,
)

ENTITY_TYPES = ("organisation", "model", "product", "person", "alliance", "event", "institution")
CAMPS = ("open", "closed", "neutral")

ENTITIES_TABLE = "entities.tsv"
ALIASES_TABLE = "entity_aliases.tsv"
NOISE_TABLE = "entity_noise.tsv"
TYPE_CUES_TABLE = "entity_type_cues.tsv"
#: ``Entity.source`` of an entity found in the text but absent from the tables
DISCOVERED = "discovered"
#: the types a discovered entity may be guessed to have, and where a cue stands
CUE_TYPES = ("organisation", "model", "product", "person", "event")
CUE_POSITIONS = ("before", "after", "suffix", "prefix")
TRIE_END = ""  # trie key of the entity id stored where an alias key ends

# Dashes and dots that news text uses interchangeably inside names (GPT‐4, DALL·E).
_CHAR_FOLD = str.maketrans(
    {"‐": "-", "‑": "-", "–": "-", "—": "-", "－": "-", "ㆍ": "·", "・": "·"}
)


def alias_key(text: str) -> str:
    """The form aliases are compared in: NFC, Latin case folded, spaces removed.

    Spacing is the commonest variation in Korean names (``허깅페이스``/``허깅 페이스``,
    ``AI얼라이언스``/``AI 얼라이언스``), so the key ignores it entirely.
    """
    text = unicodedata.normalize("NFC", text).translate(_CHAR_FOLD).casefold()
    return "".join(ch for ch in text if not ch.isspace())


@dataclass(frozen=True)
class Entity:
    """One canonical entity: a company, model, product, person, alliance, event or institution."""

    entity_id: str
    name_ko: str
    entity_type: str
    parent: str = ""
    camp: str = ""  # as written in the table; see Lexicon.camp_of for the inherited camp
    camp_evidence: str = ""
    aliases: tuple[str, ...] = ()  # every spelling, including entity_id and name_ko
    note: str = ""
    source: str = ""  # file:line of the row that defined it
    # aliases that are also ordinary words (이코노미스트 the profession, 소라 the shell): they
    # count only when quoted or when the sentence names an ancestor (오픈AI의 소라)
    ambiguous: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampDecision:
    """An entity's effective camp and which lexicon entry decided it."""

    camp: str  # open | closed | neutral | "" (nothing known)
    evidence: str
    decided_by: str  # entity_id whose row carries the camp (the entity or an ancestor)


@dataclass
class Lexicon:
    """Entities by canonical id, their aliases, and the problems met while reading them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    noise: frozenset[str] = frozenset()  # alias keys of words never reported as candidates
    #: position (before, after, suffix, prefix) -> cue word (casefolded) -> entity type
    type_cues: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_key: dict[str, str] = {}
        for entity in self.entities.values():
            for alias in entity.aliases:
                key = alias_key(alias)
                owner = self._by_key.get(key)
                if owner is None:
                    self._by_key[key] = entity.entity_id
                elif owner != entity.entity_id:
                    self.problems.append(
                        Problem(
                            entity.source or ENTITIES_TABLE,
                            f"alias '{alias}' of {entity.entity_id} already belongs to "
                            f"{owner}; kept for {owner}",
                            Severity.WARNING,
                        )
                    )

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities.values())

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this canonical id, or None."""
        return self.entities.get(entity_id)

    def is_ambiguous(self, entity_id: str, surface: str) -> bool:
        """True when ``surface`` is one of the entity's ordinary-word aliases."""
        entity = self.entities.get(entity_id)
        if entity is None or not entity.ambiguous:
            return False
        key = alias_key(surface)
        return any(alias_key(a) == key for a in entity.ambiguous)

    def resolve(self, alias: str) -> Entity | None:
        """The entity one of whose aliases is ``alias`` (spacing and Latin case ignored)."""
        entity_id = self._by_key.get(alias_key(alias))
        return self.entities.get(entity_id) if entity_id else None

    def ancestors(self, entity_id: str) -> list[str]:
        """Parent, grandparent, ... of an entity, nearest first (cycles cut at load time)."""
        out: list[str] = []
        entity = self.entities.get(entity_id)
        while entity is not None and entity.parent and entity.parent not in out:
            out.append(entity.parent)
            entity = self.entities.get(entity.parent)
        return out

    def is_within(self, entity_id: str, ancestor_id: str) -> bool:
        """True when ``entity_id`` is ``ancestor_id`` or one of its descendants."""
        return entity_id == ancestor_id or ancestor_id in self.ancestors(entity_id)

    def camp_of(self, entity_id: str) -> CampDecision:
        """The entity's own camp, else the nearest ancestor's; empty when none is known.

        Gemma says ``open`` itself, so Google's ``closed`` does not reach it; CodeGemma says
        nothing and inherits Gemma's.
        """
        for candidate in [entity_id, *self.ancestors(entity_id)]:
            entity = self.entities.get(candidate)
            if entity is not None and entity.camp:
                return CampDecision(entity.camp, entity.camp_evidence, candidate)
        return CampDecision("", "", "")

    def trie(self) -> dict[str, Any]:
        """Alias keys as a character trie (``TRIE_END`` marks an entity id); built once."""
        cached = self.__dict__.get("_trie")
        if cached is None:
            cached = {}
            for key, entity_id in self._by_key.items():
                node = cached
                for ch in key:
                    node = node.setdefault(ch, {})
                node[TRIE_END] = entity_id
            self.__dict__["_trie"] = cached
        return cached

    def alias_starters(self) -> dict[str, bool]:
        """Whether an alias may begin at a character of the text, by character (filled in
        by the matcher as it meets characters; kept with the lexicon like ``trie``)."""
        cached = self.__dict__.get("_starters")
        if cached is None:
            cached = self.__dict__["_starters"] = {}
        return cached

    def is_discovered(self, entity_id: str) -> bool:
        """True for an entity found in the text that the tables lack."""
        entity = self.entities.get(entity_id)
        return entity is not None and entity.source == DISCOVERED

    def with_discovered(self, mentions: Iterable[Any]) -> Lexicon:
        """This lexicon, also knowing the discovered entities among ``mentions``.

        A discovered mention is one whose ``entity_id`` the tables lack; its entity takes the
        mention's type guess (the first typed mention wins) and, for a version such as
        ``Gemma 4``, the longest known id its id starts with as parent. The tables, aliases
        and trie are shared, not copied; without discovered mentions ``self`` is returned.
        """
        found: dict[str, Entity] = {}
        for mention in mentions:
            entity_id = mention.entity_id
            if not entity_id or entity_id in self.entities:
                continue
            old = found.get(entity_id)
            if old is None:
                parent = self.version_parent(entity_id, found)
                family = self.entities.get(parent) or found.get(parent)
                found[entity_id] = Entity(
                    entity_id=entity_id,
                    # a version is named after its family (3.5 버전 -> 라마 3.5)
                    name_ko=f"{family.name_ko} {entity_id[len(parent) + 1 :]}"
                    if family is not None
                    else " ".join(mention.surface.split()),
                    entity_type=mention.entity_type,
                    parent=parent,
                    aliases=(mention.surface,),
                    source=DISCOVERED,
                )
            elif mention.surface not in old.aliases:
                found[entity_id] = replace(old, aliases=(*old.aliases, mention.surface))
        if not found:
            return self
        view = copy.copy(self)  # shares _by_key, the trie and the starters
        view.entities = {**self.entities, **found}
        view.problems = self.problems
        return view

    def version_parent(self, entity_id: str, found: dict[str, Entity] | None = None) -> str:
        """``Gemma`` for ``Gemma 4``, ``Llama 3.1`` for ``Llama 3.1 405B``: the longest
        known id (or id of ``found``) that ``entity_id`` extends by a space, or ""."""
        head = entity_id
        while " " in head:
            head = head.rsplit(" ", 1)[0]
            if head in self.entities or (found is not None and head in found):
                return head
        return ""

    def is_noise(self, text: str) -> bool:
        """True for words the candidate finder must not report (AI, LLM, 미국 ...)."""
        return alias_key(text) in self.noise


def _split_aliases(text: str) -> list[str]:
    return [a.strip() for a in text.split("|") if a.strip()]


def build_lexicon(
    entity_rows: Iterable[dict[str, str]],
    alias_rows: Iterable[dict[str, str]] = (),
    noise_rows: Iterable[dict[str, str]] = (),
    type_cue_rows: Iterable[dict[str, str]] = (),
) -> Lexicon:
    """A lexicon from table rows (as ``read_table`` returns them), validating each row."""
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}

    for row in entity_rows:
        where = row.get("_source", ENTITIES_TABLE)
        entity_id = row.get("entity_id", "").strip()
        if not entity_id:
            problems.append(Problem(where, "row without an entity_id; skipped"))
            continue
        old = entities.get(entity_id)
        entity_type = row.get("type", "").strip()
        if entity_type and entity_type not in ENTITY_TYPES:
            problems.append(
                Problem(
                    where,
                    f"{entity_id}: unknown type '{entity_type}' (expected one of "
                    f"{', '.join(ENTITY_TYPES)}); row skipped",
                )
            )
            continue
        if old is None and not entity_type:
            problems.append(Problem(where, f"{entity_id}: no type given; row skipped"))
            continue
        camp = row.get("camp", "").strip()
        if camp and camp not in CAMPS:
            problems.append(
                Problem(
                    where,
                    f"{entity_id}: unknown camp '{camp}' (expected open, closed, "
                    "neutral or empty); camp left empty",
                    Severity.WARNING,
                )
            )
            camp = ""
        name_ko = row.get("name_ko", "").strip()
        aliases = [entity_id, name_ko, *_split_aliases(row.get("aliases", ""))]
        if old is None:
            entity = Entity(
                entity_id=entity_id,
                name_ko=name_ko or entity_id,
                entity_type=entity_type,
                parent=row.get("parent", "").strip(),
                camp=camp,
                camp_evidence=row.get("camp_evidence", "").strip(),
                note=row.get("note", "").strip(),
                ambiguous=tuple(_split_aliases(row.get("ambiguous", ""))),
                source=where,
            )
        else:  # a later row (usually the user's) refines an existing entity
            entity = replace(
                old,
                name_ko=name_ko or old.name_ko,
                entity_type=entity_type or old.entity_type,
                parent=row.get("parent", "").strip() or old.parent,
                camp=camp or old.camp,
                camp_evidence=row.get("camp_evidence", "").strip() or old.camp_evidence,
                note=row.get("note", "").strip() or old.note,
                ambiguous=(*old.ambiguous, *_split_aliases(row.get("ambiguous", ""))),
            )
            aliases = [*old.aliases, *aliases]
        entity = replace(entity, aliases=_unique(aliases))
        known = {alias_key(a) for a in entity.aliases}
        for word in entity.ambiguous:
            if alias_key(word) not in known:
                problems.append(
                    Problem(
                        where,
                        f"{entity_id}: ambiguous '{word}' is not one of its aliases",
                        Severity.WARNING,
                    )
                )
        entities[entity_id] = entity

    for row in alias_rows:
        where = row.get("_source", ALIASES_TABLE)
        entity_id, alias = row.get("entity_id", "").strip(), row.get("alias", "").strip()
        if entity_id not in entities:
            problems.append(
                Problem(where, f"alias '{alias}' names unknown entity '{entity_id}'; skipped")
            )
            continue
        if not alias:
            problems.append(Problem(where, f"{entity_id}: empty alias; skipped"))
            continue
        old = entities[entity_id]
        entities[entity_id] = replace(old, aliases=_unique([*old.aliases, alias]))

    _check_parents(entities, problems)
    noise = frozenset(alias_key(r["form"]) for r in noise_rows if r.get("form", "").strip())
    type_cues = _type_cues(type_cue_rows, problems)
    return Lexicon(entities=entities, problems=problems, noise=noise, type_cues=type_cues)


def _type_cues(
    rows: Iterable[dict[str, str]], problems: list[Problem]
) -> dict[str, dict[str, str]]:
    cues: dict[str, dict[str, str]] = {position: {} for position in CUE_POSITIONS}
    for row in rows:
        where = row.get("_source", TYPE_CUES_TABLE)
        cue = row.get("cue", "").strip()
        kind, position = row.get("type", "").strip(), row.get("position", "").strip()
        if not cue or kind not in CUE_TYPES or position not in CUE_POSITIONS:
            problems.append(
                Problem(
                    where,
                    f"type cue '{cue}': needs a cue, a type ({', '.join(CUE_TYPES)}) and a "
                    f"position ({', '.join(CUE_POSITIONS)}); row skipped",
                    Severity.WARNING,
                )
            )
            continue
        cues[position][cue.casefold()] = kind
    return cues


def _unique(aliases: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for alias in aliases:
        if alias and alias_key(alias) not in seen:
            seen[alias_key(alias)] = alias
    return tuple(seen.values())


def _check_parents(entities: dict[str, Entity], problems: list[Problem]) -> None:
    """Drop parents that name no entity or close a cycle, reporting each."""
    for entity_id, entity in list(entities.items()):
        if entity.parent and entity.parent not in entities:
            problems.append(
                Problem(
                    entity.source,
                    f"{entity_id}: parent '{entity.parent}' is not in the lexicon; parent dropped",
                    Severity.WARNING,
                )
            )
            entities[entity_id] = replace(entity, parent="")
    for entity_id in list(entities):
        seen = [entity_id]
        current = entities[entity_id]
        while current.parent:
            if current.parent in seen:
                problems.append(
                    Problem(
                        current.source,
                        f"{current.entity_id}: parent "
                        f"'{current.parent}' closes a cycle; parent dropped",
                        Severity.WARNING,
                    )
                )
                entities[current.entity_id] = replace(current, parent="")
                break
            seen.append(current.parent)
            current = entities[current.parent]


@cached_until_user_tables_change(ENTITIES_TABLE, ALIASES_TABLE, NOISE_TABLE, TYPE_CUES_TABLE)
def load_lexicon() -> Lexicon:
    """The bundled lexicon plus the user's rows; cached until the user's tables change."""
    problems: list[Problem] = []
    names = (ENTITIES_TABLE, ALIASES_TABLE, NOISE_TABLE, TYPE_CUES_TABLE)
    tables = [_read(name, problems) for name in names]
    lexicon = build_lexicon(*tables)
    lexicon.problems[:0] = problems
    return lexicon


def _read(name: str, problems: list[Problem]) -> list[dict[str, str]]:
    """Bundled rows, then the user's; an unreadable user table is reported, not fatal."""
    rows = read_table(name, include_user=False)
    user_file = user_resource_dir() / name
    if user_file.is_file():
        try:
            rows.extend(parse_table(user_file.read_text(encoding="utf-8-sig"), str(user_file)))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(user_file), f"table not read ({exc}); bundled rows only"))
    return rows
