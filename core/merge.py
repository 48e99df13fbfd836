"""Merging event mentions into real-world events.

Several articles (or several sentences of one article) often report the same event: the
AI Alliance launch is ``지난 6일`` in one seed and ``지난달`` in another. This module turns
the per-sentence ``EventMention`` list into ``Event`` objects, one per real event, each
with all its sources, the most precise date any source gives, and a note wherever the
sources disagree.

The clustering is greedy but deterministic: mentions are visited in an order that depends
only on their content (most precise date first), so the same mentions give the same events
and the same ids whatever order the articles were read in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.model import Event, EventMention, TimeExpr

#: event types that can describe the same real event
TYPE_FAMILIES: dict[str, tuple[str, ...]] = {
    "launch": ("open_release", "release", "announcement"),
}

#: precision names from finest to coarsest; breaks ties between intervals of equal width
PRECISION_ORDER = ("day", "week", "range", "month", "quarter", "half", "year", "decade", "unknown")

#: two dated mentions whose intervals do not overlap still merge (as a disagreement) when
#: they name the same object in different articles and are at most this far apart: a
#: local-time date abroad is a day off Korea's; a week apart is another event (a model
#: family's next release), not a disagreement
MAX_DISAGREEMENT_GAP = dt.timedelta(days=2)


#: the rule of a 최근 read as the days up to publication (``core.events``)
RECENT_RULE = "recent: days up to publication"


def written_date(expr: TimeExpr | None) -> str:
    """The ``date_text`` of a dated event: the expression as written, and for an estimate
    from 최근 a word saying what the interval is."""
    if expr is None:
        return ""
    if expr.rule == RECENT_RULE and expr.date_end is not None:
        return f"{expr.text} (기사 날짜 {expr.date_end.isoformat()}까지의 추정 기간)"
    return expr.text


def _kind(mention: EventMention) -> str:
    """The event type with an open release counted as a release."""
    return "release" if mention.event_type == "open_release" else mention.event_type


def type_family(event_type: str) -> str:
    """The family an event type belongs to (``release`` and ``announcement`` -> launch)."""
    for family, members in TYPE_FAMILIES.items():
        if event_type in members:
            return family
    return event_type


def lexicon_entities(lexicon: object) -> dict[str, object]:
    """``entity_id -> entity`` from a lexicon, whatever container it keeps entities in.

    Accepts a lexicon with an ``entities`` attribute (a mapping id -> entity or a list of
    entities), a mapping itself, or an iterable of entities; anything else gives none.
    """
    if lexicon is None:
        return {}
    container = getattr(lexicon, "entities", lexicon)
    if callable(container):
        container = container()
    if isinstance(container, Mapping):
        return dict(container)
    if isinstance(container, Iterable) and not isinstance(container, (str, bytes)):
        return {getattr(e, "entity_id", ""): e for e in container}
    return {}


def entity_parents(lexicon: object) -> dict[str, str]:
    """``entity_id -> parent id`` from a lexicon (any container ``lexicon_entities`` reads)."""
    parents: dict[str, str] = {}
    for entity in lexicon_entities(lexicon).values():
        entity_id = getattr(entity, "entity_id", "")
        parent = getattr(entity, "parent", "") or ""
        if entity_id and parent and parent != entity_id:
            parents[entity_id] = parent
    return parents


def _ancestors(entity_id: str, parents: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    current = parents.get(entity_id)
    while current and current not in out and current != entity_id:
        out.append(current)
        current = parents.get(current)
    return out


def _interval(mention: EventMention) -> tuple[dt.date, dt.date] | None:
    date = mention.date
    if date is None or date.date_start is None:
        return None
    return date.date_start, date.date_end or date.date_start


def _has_own_time(mention: EventMention) -> bool:
    """True when the mention carries a temporal expression, even one that cannot be placed."""
    return mention.date is not None


def _precision_rank(mention: EventMention) -> tuple[int, int]:
    """Smaller is more precise: interval width in days, then the precision's name."""
    interval = _interval(mention)
    if interval is None:
        return (10**6, len(PRECISION_ORDER))
    precision = mention.date.precision if mention.date else "unknown"
    order = (
        PRECISION_ORDER.index(precision) if precision in PRECISION_ORDER else len(PRECISION_ORDER)
    )
    return ((interval[1] - interval[0]).days, order)


def _format_interval(mention: EventMention) -> str:
    interval = _interval(mention)
    if interval is None:
        written = mention.date.text if mention.date else ""
        return f"no date ({written})" if written else "no date"
    start, end = interval
    span = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
    written = mention.date.text if mention.date else ""
    return f"{span} ({written})" if written else span


@dataclass
class _Cluster:
    """A growing event: its members (primary first) and what the rules ask of them, kept
    up to date as members join instead of recomputed for every comparison."""

    primary: EventMention
    family: str  # type_family of the primary's event type
    primary_actors: set[str]
    interval: tuple[dt.date, dt.date] | None
    members: list[EventMention] = field(default_factory=list)
    sentences: set[tuple[str, int]] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # the index keys it is filed under

    def add(self, mention: EventMention) -> None:
        self.members.append(mention)
        self.sentences.add((mention.file, mention.sentence_index))
        self.files.add(mention.file)
        self.objects.update(mention.objects)


class _Merger:
    """The pairwise rules deciding whether a mention joins a cluster."""

    def __init__(self, parents: Mapping[str, str], published: Mapping[str, dt.date]):
        self.parents = parents
        self.published = published
        self._ancestors: dict[str, frozenset[str]] = {}

    def sort_key(self, mention: EventMention) -> tuple:
        # content only, never input position: this is what makes ids order-independent
        published = self.published.get(mention.file, dt.date.max)
        return (
            _precision_rank(mention),
            published,
            mention.file,
            mention.char_start,
            mention.trigger_start,
            mention.event_type,
        )

    def ancestors(self, entity_id: str) -> frozenset[str]:
        found = self._ancestors.get(entity_id)
        if found is None:
            found = self._ancestors[entity_id] = frozenset(_ancestors(entity_id, self.parents))
        return found

    def actor_set(self, mention: EventMention) -> set[str]:
        out: set[str] = set()
        for actor in mention.actors:
            out.add(actor)
            out.update(self.ancestors(actor))
        return out

    def compatible(
        self,
        cluster: _Cluster,
        mention: EventMention,
        actors_b: set[str],
        there: tuple[dt.date, dt.date] | None,
        family: str,
    ) -> int:
        """0 when ``mention`` may not join ``cluster``; else a score, higher is a better fit.

        ``actors_b``, ``there`` and ``family`` are the mention's ``actor_set``,
        ``_interval`` and ``type_family``.
        """
        primary = cluster.primary
        if (mention.file, mention.sentence_index) in cluster.sentences:
            return 0  # one sentence holding two events means two events
        if cluster.family != family:
            return 0
        if (primary.modality == "negated") != (mention.modality == "negated"):
            return 0
        same_file = mention.file in cluster.files
        if same_file and primary.modality != mention.modality:
            return 0  # 만났다 and 만날 예정이다 in one article are two meetings
        # the cluster's objects, not only the primary's: a primary whose object was missed
        # must not become a magnet for every release of the same actor
        objects_a = cluster.objects
        objects_b = set(mention.objects)
        shared_object = not objects_a.isdisjoint(objects_b)
        if bool(objects_a) != bool(objects_b) and _kind(primary) != _kind(mention):
            return 0  # 향후 계획을 발표했다 is not the release of 엑사원 1.0 it sits beside
        if objects_a and objects_b and not shared_object:
            # Claude 3 and CodeGemma are two releases; so are EXAONE 3.5 and EXAONE 4.0,
            # and a version and its family (the version is what was released)
            return 0
        actors_a = cluster.primary_actors
        shared_actor = not actors_a.isdisjoint(actors_b)
        crossed = not objects_a.isdisjoint(actors_b) or not objects_b.isdisjoint(actors_a)
        if not (shared_object or shared_actor or crossed):
            return 0
        score = 4 * shared_object + 2 * crossed + shared_actor
        score += primary.predicate == mention.predicate

        here = cluster.interval
        if here is not None and there is not None:
            if here[0] <= there[1] and there[0] <= here[1]:
                return score + 1
            gap = max(here[0] - there[1], there[0] - here[1])
            if shared_object and not same_file and gap <= MAX_DISAGREEMENT_GAP:
                return score
            return 0
        # at least one side undated: never merged on a date; identity must carry it
        if shared_object and (
            not same_file or not (_has_own_time(primary) and _has_own_time(mention))
        ):
            return score
        undated = mention if there is None else primary
        camps_clash = not _UNDECIDED & {primary.camp, mention.camp} and primary.camp != mention.camp
        if (
            same_file
            and (shared_actor or crossed)
            and not _has_own_time(undated)
            and not camps_clash
            and not (objects_b and not shared_object)  # a new object is a new event
        ):
            return score  # a restatement of an event the article dated elsewhere
        return 0


class _Slot:
    """The clusters filed under one (type family, entity id), dated ones by primary start.

    A dated pair joins only when the two intervals overlap or lie at most
    ``MAX_DISAGREEMENT_GAP`` apart, so a dated mention looks only at the clusters whose
    primary starts in a window around its own interval instead of at all of them.
    """

    __slots__ = ("dated", "ids", "undated", "widest")

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.dated: list[tuple[int, int]] = []  # (primary start ordinal, cluster), sorted
        self.undated: list[int] = []
        self.widest = 0  # the widest primary interval filed here, in days

    def add(self, index: int, interval: tuple[dt.date, dt.date] | None) -> None:
        if index in self.ids:
            return
        self.ids.add(index)
        if interval is None:
            self.undated.append(index)
            return
        insort(self.dated, (interval[0].toordinal(), index))
        self.widest = max(self.widest, (interval[1] - interval[0]).days)

    def near(self, interval: tuple[dt.date, dt.date], clusters: list[_Cluster]) -> list[int]:
        """Clusters filed here whose primary interval may overlap or nearly meet ``interval``
        (every one that can), and those with an undated primary."""
        gap = MAX_DISAGREEMENT_GAP.days
        start, end = interval[0].toordinal(), interval[1].toordinal()
        lo = bisect_left(self.dated, (start - gap - self.widest, -1))
        hi = bisect_right(self.dated, (end + gap, len(clusters)))
        out = list(self.undated)
        for _start, index in self.dated[lo:hi]:
            other = clusters[index].interval
            if other is not None and other[1].toordinal() >= start - gap:
                out.append(index)
        return out


def merge_mentions(
    mentions: list[EventMention],
    lexicon: object = None,
    published: Mapping[str, dt.date] | None = None,
) -> list[Event]:
    """Group mentions of the same real event into ``Event`` objects.

    ``lexicon`` supplies entity parents (Google Cloud belongs to Google); ``published``
    maps an article file to its publication date, used to put the earliest report first
    among equally precise ones. The result is sorted by date (undated last), then id.

    Each mention joins the best-scoring earlier cluster it is compatible with (the first
    such, in creation order), or starts its own. Only clusters that could be compatible are
    scored: those sharing an entity with it and, for a dated mention, dated near it; for
    an undated one, those sharing an object with it or a file (see ``_Merger.compatible``).
    """
    merger = _Merger(entity_parents(lexicon), published or {})
    clusters: list[_Cluster] = []
    # clusters by (type family, entity id): a mention can only join a cluster it shares an
    # actor or object with, so it is compared with those alone, not with every cluster
    index: dict[tuple[str, str], _Slot] = {}
    by_object: dict[tuple[str, str], set[int]] = {}
    by_file: dict[tuple[str, str], set[int]] = {}
    for mention in sorted(mentions, key=merger.sort_key):
        family = type_family(mention.event_type)
        actors = merger.actor_set(mention)
        probes = actors | set(mention.objects)
        interval = _interval(mention)
        candidates: set[int] = set()
        if interval is not None:
            for key in probes:
                slot = index.get((family, key))
                if slot is not None:
                    candidates.update(slot.near(interval, clusters))
        else:
            for key in mention.objects:
                candidates.update(by_object.get((family, key), ()))
            candidates.update(
                i
                for i in by_file.get((family, mention.file), ())
                if not clusters[i].keys.isdisjoint(probes)
            )
        best = -1
        best_score = 0
        for i in sorted(candidates):
            score = merger.compatible(clusters[i], mention, actors, interval, family)
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            best = len(clusters)
            cluster = _Cluster(mention, family, actors, interval)
            clusters.append(cluster)
            keys = probes
        else:
            cluster = clusters[best]
            keys = set(mention.objects)
        cluster.add(mention)
        cluster.keys.update(keys)
        for key in keys:
            index.setdefault((family, key), _Slot()).add(best, cluster.interval)
        for key in mention.objects:
            by_object.setdefault((family, key), set()).add(best)
        by_file.setdefault((family, mention.file), set()).add(best)
    events = [_to_event(cluster) for cluster in clusters]
    events.sort(key=event_sort_key)
    return events


def event_sort_key(event: Event) -> tuple:
    """Timeline order: dated events by start then end, undated last, ties by id."""
    if event.date_start is None:
        return (1, dt.date.max, dt.date.max, event.event_id)
    return (0, event.date_start, event.date_end or event.date_start, event.event_id)


def event_id_for(primary: EventMention) -> str:
    """A stable id from the primary mention's normalised content."""
    content = "|".join(
        [
            type_family(primary.event_type),
            ",".join(sorted(primary.objects)),
            ",".join(sorted(primary.actors)),
            primary.file,
            str(primary.char_start),
            str(primary.char_end),
            str(primary.trigger_start),
        ]
    )
    return "ev-" + hashlib.sha1(content.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _union(lists: Iterable[list[str]]) -> list[str]:
    out: list[str] = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


#: camps that decide nothing when mentions of one event are merged
_UNDECIDED = frozenset(["neutral", "unknown"])


def _camp(members: list[EventMention]) -> tuple[str, list[str]]:
    camps = [m.camp for m in members]
    # a source that could tell the camp beats one that could not; among those that could,
    # the majority, ties going to the more precise source
    decided = [c for c in camps if c not in _UNDECIDED]
    # neutral is evidence of neither side; unknown (a name the lexicon lacks) is none at all
    undecided = "neutral" if "neutral" in camps or not camps else "unknown"
    chosen = (
        max(decided, key=lambda c: (decided.count(c), -decided.index(c))) if decided else undecided
    )
    # the lexicon overruled the text (an API-only model called open source): say so
    notes = [
        f"{m.file}: {why}"
        for m in members
        for why in m.camp_evidence
        if why.endswith("lexicon kept")
    ][:1]
    distinct = sorted({c for c in camps if c not in _UNDECIDED})
    if len(distinct) > 1:
        said = ", ".join(f"{m.file} says {m.camp}" for m in members)
        notes.append(f"camps disagree: {said}; kept {chosen}")
    return chosen, notes


def _date_notes(members: list[EventMention]) -> list[str]:
    primary = members[0]
    here = _interval(primary)
    notes = []
    for other in members[1:]:
        there = _interval(other)
        if other.file == primary.file or here is None or there is None:
            continue
        if here == there:
            continue
        said = f"{primary.file} says {_format_interval(primary)}, {other.file} says {_format_interval(other)}"
        if here[0] <= there[1] and there[0] <= here[1]:
            notes.append(f"date refined: {said}")
        else:
            notes.append(f"dates disagree: {said}")
    return notes


def _to_event(cluster: _Cluster) -> Event:
    members = cluster.members  # already primary first: visited in sort order
    primary = members[0]
    camp, camp_notes = _camp(members)
    event_type = primary.event_type
    if camp == "open" and any(m.event_type == "open_release" for m in members):
        event_type = "open_release"  # 공개 in one source, 오픈소스로 공개 in another
    interval = _interval(primary)
    date = primary.date
    sources = len({m.file for m in members})
    confidence = min(1.0, max(m.confidence for m in members) + 0.1 * (sources - 1))
    return Event(
        event_id=event_id_for(primary),
        mentions=list(members),
        date_start=interval[0] if interval else None,
        date_end=interval[1] if interval else None,
        precision=date.precision if interval and date else "unknown",
        date_text=written_date(date) if interval and date else "",
        title=next((m.title for m in members if m.title), ""),
        event_type=event_type,
        camp=camp,
        actors=_union(m.actors for m in members),
        entities=_union(m.entities for m in members),
        confidence=round(confidence, 3),
        notes=_date_notes(members) + camp_notes,
    )
