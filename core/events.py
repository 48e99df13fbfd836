"""From an article's sentences to event mentions: predicate, actors, objects, modality, date.

``extract_events`` walks the sentences of one article in order. Per sentence it finds the
predicates (``core.predicates``), reads each clause's ending and tense (``core.modality``),
gives roles to the entity mentions (``core.event_roles``), dates the event by the temporal
expression of its own clause, else of its sentence, else a discourse link (``이날``), and
asks ``core.camps`` and ``core.headlines`` for its camp and title. What it leaves out is as
deliberate as what it keeps: conditionals, definitions, purposes, quoted speech, time
references (``발족한 바로 다음 7일``) and events with no entity at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from core.camps import cue_problems, decide_camp, entity_camp
from core.clauses import find_clauses, quote_mask
from core.event_dates import ResolveFn, choose_date, sentence_dates
from core.event_roles import (
    Discourse,
    Placed,
    assign_roles,
    is_actor_subject,
    is_collective,
    is_thing,
    nearest_subjects,
    place_mentions,
    type_of,
)
from core.headlines import make_title
from core.merge import RECENT_RULE
from core.modality import Clause, analyse_tail
from core.model import (
    Article,
    EntityMention,
    EventMention,
    Problem,
    Sentence,
    TimeExpr,
    Token,
)
from core.predicates import (
    INTRANSITIVE,
    Predicate,
    Trigger,
    base_tag,
    find_triggers,
    predicate_problems,
)

if TYPE_CHECKING:
    from core.lexicon import Lexicon

_RELEASE_TYPES = {"release", "open_release"}
#: events whose camp is their target's when the actor has none
_TARGETED_TYPES = {"investment", "acquisition"}
#: nouns of time that end an object phrase read backwards (다음 주 | 개발자 행사)
_TIME_WORDS = {
    "다음",
    "이번",
    "지난",
    "주",
    "달",
    "해",
    "올해",
    "내년",
    "작년",
    "내달",
    "이날",
    "최근",
    "현재",
}
#: the predicate a conference named with a date stands for
_CONFERENCE = Predicate("개최하다", (), "conference", "개최")


def extract_events(
    article: Article,
    lexicon: Lexicon | None = None,
    *,
    resolve: ResolveFn | None = None,
    entity_mentions: list[EntityMention] | None = None,
) -> list[EventMention]:
    """Every event mention in ``article.sentences``, in text order.

    ``entity_mentions``, the article's ``find_mentions`` results when the caller has them
    already (unlinked candidates are ignored), spares finding every entity a second time.
    """
    if lexicon is None:
        from core.lexicon import load_lexicon

        lexicon = load_lexicon()
    from core.entities import find_mentions

    by_sentence: dict[int, list[EntityMention]] | None = None
    if entity_mentions is not None:
        by_sentence = {}
        for found in entity_mentions:
            if found.entity_id:
                by_sentence.setdefault(found.sentence_index, []).append(found)
    if resolve is None:
        from core.dates import resolve as default_resolve

        resolve = default_resolve
    ctx = Discourse()
    if article.published is not None and article.published.precision in {"day", "minute"}:
        ctx.anchor = article.published.start
    out: list[EventMention] = []
    for sentence in article.sentences:
        mentions = (
            find_mentions(sentence, article.source_text, lexicon)
            if by_sentence is None
            else by_sentence.get(sentence.index, [])
        )
        out.extend(sentence_events(article, sentence, mentions, lexicon, resolve, ctx))
    return out


def table_problems() -> list[Problem]:
    """Rows of the user-extendable predicate and cue tables that were skipped, and why;
    for the corpus's problem list."""
    return predicate_problems() + cue_problems()


def sentence_events(
    article: Article,
    sentence: Sentence,
    mentions: list[EntityMention],
    lexicon: Any,
    resolve: ResolveFn,
    ctx: Discourse | None = None,
) -> list[EventMention]:
    """The event mentions of one sentence, given its entity mentions."""
    ctx = ctx if ctx is not None else Discourse()
    tokens = sentence.tokens
    quoted = quote_mask(tokens)
    triggers = [t for t in find_triggers(tokens) if not quoted[t.first]]
    placed = place_mentions(tokens, mentions, {t.first for t in triggers}, quoted)
    dates = sentence_dates(article, sentence, resolve, ctx, quoted)
    drafts = find_clauses(tokens, triggers)
    attributed = "따르" in [t.form for t in tokens]
    events: list[EventMention] = []
    by_lemma: dict[str, tuple[int, int, list[str]]] = {}
    last_actors: list[str] = []
    cue_text = _without_negated(article, sentence, drafts)
    for index, draft in enumerate(drafts):
        if draft.skip and not (
            draft.skip == "passive description" and _dated_right_before(draft, dates, tokens)
        ):
            continue  # 15일 공개된 엑사원 4.0 is a report; 개최된 행사에서 is background
        actors, objects = assign_roles(draft, placed, tokens, quoted, lexicon, ctx, sentence.index)
        things = [o for o in objects if is_thing(type_of(o, lexicon))]
        if (
            not actors
            and things
            and (draft.trigger.passive or not _acts_itself(things[0], draft, placed))
            and draft.trigger.event_type in _RELEASE_TYPES | {"apply"}
        ):
            # 라마 3.1이 오픈소스로 공개됐다, 이날 공개된 라마 3.1: the maker in the lexicon
            actors = [a for a in (_organiser(t, lexicon) for t in things[:1]) if a]
        if draft.skip and not things:
            continue  # a dated description is a report about the thing it describes
        if tokens[draft.trigger.last].form in INTRANSITIVE:
            # 다보스에서 열린 포럼: held by its organiser, not by the sentence's topic; 챗GPT가
            # 연 시대가 열리면서 is no gathering
            things = [t for t in things if _gathering(t, lexicon)]
            if not things:
                continue
            actors = [a for a in (_organiser(t, lexicon) for t in things[:1]) if a]
            objects = things
        held = draft.trigger.event_type == "conference" and bool(things)
        if not actors and not held:
            continue  # a generic statement: no one we know acts
        earlier = by_lemma.get(draft.trigger.lemma)
        if not objects and earlier is not None:
            # 제공하기로 했는데 ... 제공한다: the same predicate again, about the same thing
            start, count, earlier_objects = earlier
            del events[start : start + count]
            objects = list(earlier_objects)
            things = [o for o in objects if is_thing(type_of(o, lexicon))]
        if draft.trigger.predicate.needs_object and not things:
            continue
        if not things and _says_something(tokens, draft.trigger.first):
            continue  # 설명을 내놨다, 전망을 내놓았다: an opinion given, not a release
        date, link = choose_date(draft, drafts, dates, tokens, placed)
        unnamed = bool(actors) and all(is_collective(a) for a in actors)
        if (draft.tail.background or (held and not actors) or unnamed) and (
            link != "clause" or date is None or date.date_start is None
        ):
            continue  # 출시한 이후, 기업들은 ... 출시했다 with no date of their own: background
        modality = _modality(draft, drafts[index + 1 :], tokens, quoted, date, article, attributed)
        past = modality in {"happened", "reported"}
        if date is not None and past and _after_publication(date, article):
            date, link = None, "none"  # 출범한 다음 날 read from the publication day
        if past and date is not None and date.date_start is None:
            date = _recent(date, article)  # 최근 ... 체결했다: up to the publication day
        if date is None and past and _also_the_same(draft, placed, actors, ctx, sentence.index):
            # 지난해 2월 라지를 출시했다. 챗봇 르 챗도 출시했다: the same act, the same time
            date, link = ctx.last_dated[3], "discourse"  # type: ignore[index]
        groups = _split_objects(draft, objects, lexicon)
        by_lemma[draft.trigger.lemma] = (len(events), len(groups), objects)
        for group in groups:
            events.append(
                _mention(
                    article,
                    sentence,
                    draft,
                    actors,
                    group,
                    placed,
                    modality,
                    date,
                    link,
                    lexicon,
                    cue_text,
                )
            )
        if date is not None and date.date_start is not None and past:
            ctx.last_dated = (sentence.index, draft.trigger.lemma, tuple(actors), date)
        if draft.trigger.event_type == "partnership" and len(_unique(actors + objects)) > 1:
            ctx.pair = _unique(actors + objects)
        last_actors = [a for a in actors if a not in objects] or actors
    events.extend(_conference_events(article, sentence, placed, dates, events, lexicon))
    # the topic (은/는) carries over; a subject inside a relative clause (오픈AI가 개발한
    # 챗GPT) does not replace it
    topics = [
        p
        for p in placed
        if is_actor_subject(p, lexicon) and sentence.tokens[p.particle].form in {"은", "는", "ᆫ"}
    ]
    if last_actors or topics:
        ctx.actors = last_actors or [
            p.entity_id for p in nearest_subjects(topics, tokens, len(tokens))
        ]
        ctx.actors_sentence = sentence.index
    for expr, _ in dates:
        if expr.precision == "day" and expr.date_start is not None and not expr.planned:
            ctx.anchor = expr.date_start
    return events


#: vague words that place a reported past event shortly before its article appeared
_RECENT_WORDS = {"최근", "이번에", "최근에"}
#: how far back 최근 reaches: an interval, never a pinned day
_RECENT_DAYS = 30


def _recent(date: TimeExpr, article: Article) -> TimeExpr:
    """최근 체결했다 in an article of 3월 31일: 3월 1일..31일, saying it is an estimate."""
    published = article.published
    if (
        date.text.strip() not in _RECENT_WORDS
        or published is None
        or published.precision not in {"day", "minute"}
    ):
        return date
    end = published.end
    return replace(
        date,
        date_start=end - dt.timedelta(days=_RECENT_DAYS),
        date_end=end,
        precision="range",
        approximate=True,
        open_start=True,
        rule=RECENT_RULE,
    )


#: objects that make a release verb a remark: 설명을 내놨다, 긍정적인 전망을 내놓았다
_SAID_OBJECTS = {"설명", "전망", "입장", "의견", "해석", "답변", "분석", "평가", "논평", "목소리"}


def _says_something(tokens: Sequence[Token], first: int) -> bool:
    return (
        first >= 2
        and base_tag(tokens[first - 1].tag) == "JKO"
        and tokens[first - 2].form in _SAID_OBJECTS
    )


def _also_the_same(
    draft: Clause, placed: list[Placed], actors: list[str], ctx: Discourse, index: int
) -> bool:
    """Y도 출시했다 right after X를 출시했다: an object marked 도, the same predicate and
    actors as the dated event of the sentence before."""
    last = ctx.last_dated
    if last is None or last[0] != index - 1 or last[1] != draft.trigger.lemma:
        return False
    if set(actors) != set(last[2]):
        return False
    return any(
        p.role == "also" and draft.clause_start <= p.first < draft.trigger.first for p in placed
    )


def _gathering(entity_id: str, lexicon: Any) -> bool:
    kind = type_of(entity_id, lexicon)
    return "event" in kind or "conference" in kind


def _acts_itself(thing: str, draft: Clause, placed: list[Placed]) -> bool:
    """구글 비즈가 제공하는 추천: the product is the subject of an active verb, not released."""
    return any(
        p.entity_id == thing and p.role == "subject" and p.first < draft.trigger.first
        for p in placed
        if p.first >= draft.clause_start
    )


def _dated_right_before(
    draft: Clause, dates: list[tuple[TimeExpr, int]], tokens: Sequence[Token]
) -> bool:
    """15일 공개된: a date just before a passive adnominal verb dates a report of its own."""
    first = draft.trigger.first
    for expr, i in dates:
        if expr.date_start is None or not draft.clause_start <= i < first:
            continue
        between = [t for t in tokens[i:first] if t.start >= expr.end]
        if not between:
            return True  # 지난 15일 공개된
        # 27일 라스베이거스에서 열린 행사: a place may stand between a gathering and its day
        held = tokens[draft.trigger.last].form in INTRANSITIVE
        if held and all(_place_word(t) for t in between):
            return True
    return False


def _place_word(token: Token) -> bool:
    tag = base_tag(token.tag)
    return tag in {"NNP", "NNG", "SL", "SSO", "SSC", "SP"} or token.form in {"에서", "서"}


def _without_negated(article: Article, sentence: Sentence, drafts: list[Clause]) -> str:
    """The sentence with its negated clauses blanked out: 가중치를 공개하지 않고 is no open
    cue for anything the sentence reports."""
    text = article.source_text[sentence.start : sentence.end]
    tokens = sentence.tokens
    for draft in drafts:
        if not draft.tail.negated:
            continue
        start = tokens[draft.clause_start].start - sentence.start
        end = tokens[draft.tail.end].end - sentence.start
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _after_publication(date: TimeExpr, article: Article) -> bool:
    """A past event cannot be dated after its article appeared."""
    published = article.published
    return published is not None and date.date_start is not None and date.date_start > published.end


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _modality(
    draft: Clause,
    following: list[Clause],
    tokens: Sequence[Token],
    quoted: list[bool],
    date: TimeExpr | None,
    article: Article,
    attributed: bool,
) -> str:
    modality = draft.modality
    if modality is None:
        nxt = next((d for d in following if d.modality is not None), None)
        modality = (
            nxt.modality if nxt is not None else _rest_modality(tokens, quoted, draft.tail.end + 1)
        )
    if modality == "present":
        published_end = article.published.end if article.published else None
        future = date is not None and (
            date.planned
            or (
                published_end is not None
                and date.date_end is not None
                and date.date_end > published_end
            )
        )
        if future:
            return "planned"
        return "reported" if attributed else "happened"
    return modality or "happened"


def _rest_modality(tokens: Sequence[Token], quoted: list[bool], start: int) -> str:
    """The tense of the sentence's last verb, for 내놓으며 ... 뛰어든 것이다 (quotes aside)."""
    forms = [(t.form, base_tag(t.tag)) for t, q in zip(tokens[start:], quoted[start:]) if not q]
    if any(form in {"예정", "계획"} for form, _ in forms):
        return "planned"
    if any(tag == "EP" and form in {"었", "았", "였", "ᆻ"} for form, tag in forms):
        return "happened"
    if any(tag == "ETM" and form in {"ᆫ", "은"} for form, tag in forms):
        return "happened"
    return "present"


def _split_objects(draft: Clause, objects: list[str], lexicon: Any) -> list[list[str]]:
    """클로드 3 ... 코드젬마도 제공된다: one release per product, each with its own camp."""
    if draft.trigger.event_type not in _RELEASE_TYPES:
        return [objects]
    things = [o for o in objects if is_thing(type_of(o, lexicon))]
    if len(things) < 2:
        return [objects]
    rest = [o for o in objects if o not in things]
    return [[thing] + rest for thing in things]


def _mention(
    article: Article,
    sentence: Sentence,
    draft: Clause,
    actors: list[str],
    objects: list[str],
    placed: list[Placed],
    modality: str,
    date: TimeExpr | None,
    link: str,
    lexicon: Any,
    cue_text: str | None = None,
) -> EventMention:
    tokens = sentence.tokens
    trigger = draft.trigger
    offset = sentence.start
    if cue_text is None:
        cue_text = article.source_text[sentence.start : sentence.end]
    clause_text = cue_text[
        tokens[draft.clause_start].start - offset : tokens[draft.tail.end].end - offset
    ]
    camp, evidence, open_release = decide_camp(
        trigger.event_type, actors, objects, clause_text, cue_text, lexicon
    )
    if camp == "neutral" and trigger.event_type in _TARGETED_TYPES:
        # 아마존이 앤트로픽에 투자했다: an investor of no camp puts money in the target's
        target = next((c for c in (entity_camp(o, lexicon) for o in objects) if c[0]), None)
        if target is not None:
            camp, evidence = target[0], [f"target {target[1]}: {target[0]} (lexicon)"]
    event_type = trigger.event_type
    if event_type == "alliance" and not any(
        "alliance" in type_of(e, lexicon) for e in actors + objects
    ):
        event_type = "founding"  # LG AI연구원이 출범했다: one organisation, not an alliance
    if event_type == "release" and open_release:
        event_type = "open_release"
    if modality == "planned" and event_type in {"release", "open_release", "other", "founding"}:
        event_type = "plan"
    # organisations before people: 메타 before 마크 저커버그 (the one speaks for the other)
    actors = sorted(actors, key=lambda a: type_of(a, lexicon) == "person")
    mention = EventMention(
        file=article.file,
        sentence_index=sentence.index,
        sentence=article.source_text[sentence.start : sentence.end],
        char_start=sentence.start,
        char_end=sentence.end,
        event_type=event_type,
        predicate=trigger.lemma,
        trigger_start=tokens[trigger.first].start,
        trigger_end=tokens[trigger.last].end,
        actors=actors,
        objects=objects,
        entities=_unique([p.entity_id for p in placed]),
        modality=modality,
        date=date,
        date_link=link,
        camp=camp,
        camp_evidence=evidence,
        confidence=_confidence(draft, actors, objects, date),
    )
    mention.title = make_title(
        mention, lexicon, trigger.predicate.headline, _object_text(article, tokens, trigger)
    )
    return mention


def _object_text(article: Article, tokens: Sequence[Token], trigger: Trigger) -> str:
    """새 칩을 공개하고 -> "새 칩": the few nouns marked as object right before the predicate
    (개발자 행사를 연다 -> "개발자 행사", when the predicate starts with its object)."""
    first = trigger.first
    if trigger.last > first and base_tag(tokens[first + 1].tag) == "JKO":
        if tokens[first].form in trigger.predicate.headline:
            return ""  # 성명을 통해: the headline (성명 발표) already says it
        first += 2  # 행사/NNG 를/JKO 열/VV: the object noun is the trigger's own first morpheme
    jko = next(
        (i for i in range(first - 1, max(first - 6, 0), -1) if base_tag(tokens[i].tag) == "JKO"),
        -1,
    )
    between = tokens[jko + 1 : first]
    if jko < 1 or any(base_tag(t.tag)[:1] not in {"N", "J", "S"} for t in between):
        return ""  # 초거대 모델을 오픈소스로 내놓으며: an adverbial may stand between
    first = jko + 1
    start = first - 1
    while start > 0 and first - 1 - start < 4:
        tag = base_tag(tokens[start - 1].tag)
        if (
            tag not in {"NNG", "NNP", "SL", "XSN", "MM", "XPN"}
            or tokens[start - 1].form in _TIME_WORDS
        ):
            break  # 다음 주 개발자 행사: the date is not part of the object
        start -= 1
    if start == first - 1:
        return ""
    return article.source_text[tokens[start].start : tokens[first - 2].end]


def _confidence(
    draft: Clause, actors: list[str], objects: list[str], date: TimeExpr | None
) -> float:
    score = 0.4 + (0.2 if actors else 0.0) + (0.15 if objects else 0.0) + (0.15 if date else 0.0)
    if date is not None and date.rule == RECENT_RULE:
        score -= 0.2  # 최근: an estimated interval, not a date the text gives
    if draft.tail.ending == "relative":
        score -= 0.1
    if draft.trigger.lemma in {"제공하다", "협력하다"}:
        score -= 0.1
    return round(max(0.1, min(1.0, score)), 2)


def _conference_events(
    article: Article,
    sentence: Sentence,
    placed: list[Placed],
    dates: list[tuple[TimeExpr, int]],
    events: list[EventMention],
    lexicon: Any,
) -> list[EventMention]:
    """지난 11월 말에서 12월1일까지 이어진 아마존 리인벤트에서는 ...: a dated conference named
    as the place where things happened is an event of its own, held by its organiser."""
    out = []
    covered = {o for e in events for o in e.objects}
    for p in placed:
        if "event" not in type_of(p.entity_id, lexicon) or p.in_quote or p.entity_id in covered:
            continue
        if (
            p.role != "adverbial"
            or not p.head
            or sentence.tokens[p.particle].form not in {"에서", "서"}
        ):
            continue
        before = [(e, i) for e, i in dates if i < p.first and e.date_start is not None]
        if not before:
            continue
        organiser = _organiser(p.entity_id, lexicon)
        if not organiser:
            continue
        trigger = Trigger(_CONFERENCE, p.first, p.last, passive=False)
        tail = analyse_tail(sentence.tokens, trigger)
        draft = Clause(trigger, tail, 0, "happened")
        date = before[-1][0]
        out.append(
            _mention(
                article,
                sentence,
                draft,
                [organiser],
                [p.entity_id],
                placed,
                "happened",
                date,
                "clause",
                lexicon,
            )
        )
        covered.add(p.entity_id)
    return out


def _organiser(entity_id: str, lexicon: Any) -> str:
    """The nearest ancestor that is not itself an event: AWS for AWS re:Invent 2023."""
    ancestors = lexicon.ancestors(entity_id) if lexicon is not None else []
    for ancestor_id in ancestors:
        if not is_thing(type_of(ancestor_id, lexicon)):
            return ancestor_id
    return ""
