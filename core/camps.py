"""Which camp an event belongs to (open, closed, neutral, crossover), and why.

Three kinds of evidence, each kept as a readable string on the event: the camp of the
object in the lexicon (Gemma open, Gemini closed; a product without a camp takes its
nearest ancestor's), cue words in the event's clause or sentence from
``resources/camp_cues.tsv`` (``오픈소스로``, ``폐쇄형``, ``API만``), and the actor's camp
(through its ancestors: Google Cloud is Google's). A partnership or alliance that joins a
closed-camp actor with an open-camp one is a ``crossover``.

The lexicon is the authority: when the clause calls a model open source that the lexicon
has as closed (or the reverse), the lexicon's camp stands and the evidence says the text
disagreed. An event about a *discovered* entity (a name the lexicon lacks) takes its camp
from cues in its own clause, else ``unknown``: no evidence either way, unlike ``neutral``
(evidence of neither side: hardware, investors, media, institutions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.event_roles import is_thing, type_of
from core.model import Problem, Severity
from core.resources import cached_until_user_tables_change, read_table

CAMPS = ("open", "closed", "neutral", "crossover", "unknown")
#: the camp of an event about a name the lexicon lacks, with no cue in its clause
UNKNOWN = "unknown"
_JOINING = {"partnership", "alliance"}
_RELEASES = {"release", "open_release", "plan"}


class CampCueError(ValueError):
    """A row of the cue table cannot be used; the message names the row."""


@dataclass(frozen=True)
class CampCue:
    """A cue word and the camp it points to."""

    cue: str
    camp: str
    strong: bool
    pattern: re.Pattern[str]


def parse_cues(rows: list[dict[str, str]], problems: list[Problem] | None = None) -> list[CampCue]:
    """Cues from table rows; spaces in a cue match any spacing, Latin letters any case.

    A malformed row raises ``CampCueError`` naming its file and line; when ``problems`` is
    given, the row is skipped and the problem appended instead.
    """
    cues = []
    for row in rows:
        cue, camp = row.get("cue", ""), row.get("camp", "")
        where = row.get("_source", "camp_cues.tsv")
        if not cue or camp not in {"open", "closed"}:
            message = f"{where}: needs a cue and camp open|closed"
            if problems is None:
                raise CampCueError(message)
            problems.append(
                Problem(where.rsplit(":", 1)[0], f"{message} (행을 건너뜀)", Severity.WARNING)
            )
            continue
        parts = [re.escape(part) for part in cue.split()]
        pattern = re.compile(r"\s*".join(parts), re.IGNORECASE)
        cues.append(CampCue(cue, camp, row.get("strength", "strong") != "weak", pattern))
    return cues


#: rows of the cue table that could not be used, from the last load
_PROBLEMS: list[Problem] = []


@cached_until_user_tables_change("camp_cues.tsv")
def load_cues() -> tuple[CampCue, ...]:
    """The bundled cue table plus the user's rows; bad rows are reported by ``cue_problems()``."""
    _PROBLEMS.clear()
    return tuple(parse_cues(read_table("camp_cues.tsv"), _PROBLEMS))


def cue_problems() -> list[Problem]:
    """Rows of the cue tables that were skipped, each naming its file and line."""
    load_cues()
    return list(_PROBLEMS)


def entity_camp(entity_id: str, lexicon: Any) -> tuple[str, str]:
    """The camp of an entity, or of its nearest ancestor that has one; and where it came from."""
    entity = lexicon.get(entity_id) if lexicon is not None else None
    camp = (getattr(entity, "camp", "") or "").strip()
    if camp in {"open", "closed"}:
        return camp, entity_id
    if lexicon is None:
        return "", ""
    for ancestor_id in lexicon.ancestors(entity_id):
        camp = (getattr(lexicon.get(ancestor_id), "camp", "") or "").strip()
        if camp in {"open", "closed"}:
            return camp, ancestor_id
    return "", ""


def find_cues(text: str, cues: tuple[CampCue, ...] | None = None) -> list[CampCue]:
    """The cues present in ``text``, in table order."""
    cues = load_cues() if cues is None else cues
    return [cue for cue in cues if cue.pattern.search(text)]


def decide_camp(
    event_type: str,
    actors: list[str],
    objects: list[str],
    clause_text: str,
    sentence_text: str,
    lexicon: Any,
    cues: tuple[CampCue, ...] | None = None,
) -> tuple[str, list[str], bool]:
    """The event's camp, the evidence that decided it, and whether a release is open-source.

    An open release is one an open cue marks (``오픈소스로 내놨다``) or a maker releasing its
    own open model (Meta's Llama 3.1); a cloud offering someone's open model is a release.
    """
    evidence: list[str] = []
    clause_cues = find_cues(clause_text, cues)
    sentence_cues = [c for c in find_cues(sentence_text, cues) if c not in clause_cues]

    def camp_of(ids: list[str], label: str) -> list[tuple[str, str]]:
        found = []
        for entity_id in ids:
            camp, source = entity_camp(entity_id, lexicon)
            if camp:
                via = "" if source == entity_id else f" via {source}"
                found.append((camp, f"{label} {entity_id}: {camp} (lexicon{via})"))
        return found

    def unknown(ids: list[str], label: str) -> tuple[str, list[str], bool] | None:
        """``unknown`` for the first discovered entity of ``ids`` without a camp, unless a
        lexicon entity stands beside it (네이버 and its CEO the lexicon lacks: neutral)."""
        if label != "object" and not all(_discovered(i, lexicon) for i in ids):
            return None
        for entity_id in ids:
            if _discovered(entity_id, lexicon) and not entity_camp(entity_id, lexicon)[0]:
                why = f"{label} {entity_id}: not in the lexicon, no camp cue in its clause"
                return UNKNOWN, [why], False
        return None

    things = [o for o in objects if is_thing(type_of(o, lexicon))]
    object_camps = camp_of(things, "object")
    actor_camps = camp_of([a for a in actors if a not in objects], "actor")
    strong = [c for c in clause_cues if c.strong] + [c for c in sentence_cues if c.strong]
    weak = [c for c in clause_cues if not c.strong]
    open_release = event_type in _RELEASES and (
        any(c.camp == "open" for c in clause_cues if c.strong)
        or _maker_opens(actors, things, lexicon)
    )

    if event_type in _JOINING:
        sides = camp_of(actors, "actor") + camp_of(
            [o for o in objects if o not in actors], "partner"
        )
        if event_type == "alliance":
            alliance = camp_of([o for o in objects if "alliance" in type_of(o, lexicon)], "alliance")
            if alliance:
                return alliance[0][0], [alliance[0][1]], False
        camps = {camp for camp, _ in sides}
        if {"open", "closed"} <= camps:
            return "crossover", [why for _, why in sides], False
        if camps:
            return camps.pop(), [why for _, why in sides], False
        return (
            _from_cues(strong + weak, evidence)
            or unknown(actors + objects, "party")
            or ("neutral", ["no camp evidence"], False)
        )

    if event_type in _RELEASES or things:
        if object_camps:
            camp, why = object_camps[0]
            said = [c for c in clause_cues if c.strong and c.camp in {"open", "closed"}]
            if said and said[0].camp != camp and camp in {"open", "closed"}:
                # the lexicon knows how the model is offered; the article may be loose
                why += f"; text says {said[0].camp} (cue '{said[0].cue}'), lexicon kept"
                return camp, [why], open_release and camp == "open"
            return camp, [why], open_release
        # a discovered model's camp comes from its own clause only; a discovered conference
        # is like the lexicon's (neutral ground): the actor's camp decides, as for those
        offered = [t for t in things if type_of(t, lexicon) in {"model", "product"}]
        found = unknown(offered, "object")
        clause_only = [c for c in clause_cues if c.strong] + weak
        cued = _from_cues(clause_only if found else strong + weak, evidence)
        if cued:
            return cued[0], cued[1], open_release
        if found:
            return found
    if actor_camps:
        return actor_camps[0][0], [actor_camps[0][1]], open_release
    return unknown(actors, "actor") or ("neutral", ["no camp evidence"], open_release)


def _from_cues(cues: list[CampCue], evidence: list[str]) -> tuple[str, list[str], bool] | None:
    if not cues:
        return None
    cue = cues[0]
    return cue.camp, evidence + [f"cue '{cue.cue}' (camp_cues.tsv): {cue.camp}"], False


def _discovered(entity_id: str, lexicon: Any) -> bool:
    is_discovered = getattr(lexicon, "is_discovered", None)
    return callable(is_discovered) and bool(is_discovered(entity_id))


def _maker_opens(actors: list[str], things: list[str], lexicon: Any) -> bool:
    """Meta releasing Llama 3.1: an open model released by its own maker."""
    for thing in things:
        if entity_camp(thing, lexicon)[0] != "open" or lexicon is None:
            continue
        if set(lexicon.ancestors(thing)) & set(actors):
            return True
    return False
