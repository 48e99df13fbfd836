"""Who did what in a clause: the grammatical role of each entity mention.

Korean marks roles with particles after the noun phrase (``메타가`` subject, ``라마를``
object, ``허깅페이스와`` partner, ``구글의`` owner). An entity may sit inside a longer noun
phrase (``토마스 쿠리안 구글 클라우드 CEO는``, ``메타, IBM, 인텔 등 50개사는``); the phrase's
particle then gives the role of every entity in it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.modality import _QUOTATIVE, Clause
from core.model import EntityMention, Token
from core.predicates import base_tag

#: how many sentences an actor named as subject stays the referent of a subjectless clause
_CARRY_SENTENCES = 3

#: things an event acts on; other entity types (organisations, people, alliances) can act
_THING_WORDS = ("model", "product", "conference", "event", "service")
#: pronouns and collective nouns that point back to actors named earlier
PRONOUNS = {"그", "그녀", "이들", "양사", "두", "회사", "자사", "이"}

#: releases: a name with 와/과 there is listed with others (페이스북과 인스타그램 등에서),
#: not a partner the release is made with
_RELEASES = {"release", "open_release"}
#: nouns after a name that make the phrase about others: 오픈AI 출신 개발진
_ORIGIN_NOUNS = {"출신"}
#: quote marks Kiwi may tag as symbols (SW): ‘엑사원 3.0′의
_QUOTE_MARKS = {"′", "″", "‘", "’", "“", "”", "'", '"', "`", "´"}
_NOUNISH = {"NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XSN", "XPN", "SW", "W_SERIAL", "MM"}


@dataclass
class Placed:
    """An entity mention placed in the token list, with the role of its noun phrase."""

    mention: EntityMention
    first: int  # first token of the mention
    last: int  # last token of the mention
    role: str  # subject, object, partner, owner, adverbial, also, copula, bare, none
    head: bool  # the entity is the head of its phrase (not a modifier of a common noun)
    with_partner: bool  # directly followed by 와/과 (a partner in 허깅페이스와 체결)
    in_quote: bool = False
    particle: int = -1  # index of the token that closed the phrase (its particle)

    @property
    def entity_id(self) -> str:
        return self.mention.entity_id


def is_thing(entity_type: str) -> bool:
    """True for models, products and conferences: objects of events, never their actors."""
    lowered = entity_type.lower()
    return any(word in lowered for word in _THING_WORDS)


def place_mentions(
    tokens: Sequence[Token],
    mentions: list[EntityMention],
    trigger_starts: set[int],
    quoted: list[bool],
) -> list[Placed]:
    """Each linked mention with its token span and phrase role, in text order."""
    placed: list[Placed] = []
    if not any(m.entity_id for m in mentions):
        return placed
    # where a linked mention covers the text: a phrase running on into another name
    inside = {at for m in mentions if m.entity_id for at in range(m.start, m.end)}
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    # Kiwi's tokens are in text order (save overlapping pieces of a contracted syllable):
    # then a mention's tokens are found by bisection instead of a pass over the sentence
    ordered = all(map(operator.le, starts, starts[1:])) and all(map(operator.le, ends, ends[1:]))
    for mention in sorted(mentions, key=lambda m: m.start):
        if not mention.entity_id:
            continue
        if ordered:
            first = bisect.bisect_right(ends, mention.start)  # first token ending after it
            last = bisect.bisect_left(starts, mention.end) - 1  # last token starting in it
            if first > last:
                continue
        else:
            span = [
                i for i, t in enumerate(tokens) if t.start < mention.end and t.end > mention.start
            ]
            if not span:
                continue
            first, last = span[0], span[-1]
        role, head, particle = _phrase_role(tokens, last, inside, trigger_starts)
        with_partner = _next_is_with(tokens, last)
        placed.append(
            Placed(mention, first, last, role, head, with_partner, quoted[first], particle)
        )
    return placed


def _starts_mention(token: Token, inside: set[int]) -> bool:
    """Whether the token begins inside a linked mention (``inside``: the covered offsets)."""
    return token.start in inside


def _next_is_with(tokens: Sequence[Token], last: int) -> bool:
    """허깅페이스와, '가우디'와, 구글(Google)과: the comitative particle right after a name."""
    depth = 0
    for token in tokens[last + 1 : last + 12]:
        if token.form in {"(", "[", "（"}:
            depth += 1
        elif token.form in {")", "]", "）"}:
            depth = max(0, depth - 1)
        elif depth or base_tag(token.tag) in {"SSO", "SSC"} or token.form in _QUOTE_MARKS:
            continue
        else:
            return base_tag(token.tag) in {"JC", "JKB"} and token.form in {"와", "과"}
    return False


def _phrase_role(
    tokens: Sequence[Token], last: int, inside: set[int], trigger_starts: set[int]
) -> tuple[str, bool, int]:
    """The particle that closes the noun phrase an entity ends at ``last``, and its index."""
    head = True
    depth = 0
    j = last + 1
    if (
        last + 1 < len(tokens)
        and base_tag(tokens[last].tag) in {"VV", "VA"}
        and base_tag(tokens[last + 1].tag) == "ETM"
        and tokens[last + 1].form in {"는", "은", "ᆫ"}
    ):
        return (
            "subject",
            True,
            last + 1,
        )  # 데이비드 하는: Kiwi read the name's last syllable as a verb
    while j < len(tokens) and j <= last + 25:
        token = tokens[j]
        tag = base_tag(token.tag)
        form = token.form
        if form in {"(", "[", "（"}:
            depth += 1
        elif form in {")", "]", "）"}:
            if depth == 0:
                return (
                    "none",
                    False,
                    j,
                )  # [더테크=조재호 기자]: a byline, not a phrase of the sentence
            depth -= 1
        elif depth:
            pass  # 가우디(Gaudi): the bracket repeats the name
        elif j in trigger_starts:
            return "bare", head, j  # AI얼라이언스 발족한: no particle before the predicate
        elif tag in {"SSO", "SSC", "SP", "SO"} or form in _QUOTE_MARKS or form in {"등", "및"}:
            pass
        elif tag == "MAG" and form in {"역시", "또한"}:
            return "also", head, j  # 애플 역시 ... 내놨다
        elif _starts_mention(token, inside):
            pass
        elif tag in {"JC", "JKB"} and form in {"와", "과", "랑", "이랑", "하고"}:
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            coordinated = nxt is not None and (
                _starts_mention(nxt, inside) or base_tag(nxt.tag) in {"SSO"}
            )
            # 메타와 IBM이 and AI 기업과 연구기관 are lists; 허깅페이스와 체결 and 블룸버그
            # TV와 인터뷰 name a partner
            if not coordinated and (head or _trigger_follows(tokens, j, trigger_starts)):
                return "partner", head, j
        elif tag == "JKS" or (tag == "JX" and form in {"은", "는", "ᆫ", "이란"}):
            return "subject", head, j
        elif tag == "JKO":
            return "object", head, j
        elif tag == "JX" and form in {"도", "만", "까지", "조차"}:
            return "also", head, j
        elif tag == "JKG":
            return "owner", head, j
        elif tag == "JKB":
            return "adverbial", head, j
        elif tag in {"VCP", "JKC"}:
            return "copula", head, j
        elif form in _ORIGIN_NOUNS:
            return "none", False, j  # 오픈AI 출신 개발진이: people from it, not it
        elif tag in _NOUNISH or tag.startswith("NN"):
            head = False  # 구글 클라우드 CEO, 허깅페이스 모델: the entity modifies a noun
        else:
            return "none", head, j
        j += 1
    return "none", head, j


def _trigger_follows(tokens: Sequence[Token], j: int, trigger_starts: set[int]) -> bool:
    return j + 1 in trigger_starts


@dataclass
class Discourse:
    """What earlier sentences of an article leave for later ones: who acted, the last
    partnership's pair (양사), the last day-precise date (what 이날 refers to)."""

    actors: list[str] = field(default_factory=list)
    actors_sentence: int = -10
    pair: list[str] = field(default_factory=list)  # participants of the last partnership (양사)
    anchor: dt.date | None = None  # last day-precise date: what 이날 and 다음 7일 refer to
    #: the last dated event: (sentence index, predicate, actors, its date), for Y도 출시했다
    last_dated: tuple[int, str, tuple[str, ...], Any] | None = None


def assign_roles(
    draft: Clause,
    placed: list[Placed],
    tokens: Sequence[Token],
    quoted: list[bool],
    lexicon: Any,
    ctx: Discourse,
    sentence_index: int,
) -> tuple[list[str], list[str]]:
    trigger = draft.trigger
    kind = trigger.event_type
    clause = [p for p in placed if draft.clause_start <= p.first < trigger.first and not p.in_quote]
    subjects = [
        p
        for p in clause
        if p.role in {"subject", "bare"} or (p.role == "also" and kind != "meeting")
    ]
    subjects = nearest_subjects(subjects, tokens, trigger.first, draft.tail.ending == "relative")
    actors: list[str] = []
    objects: list[str] = []
    for p in clause:
        thing = is_thing(entity_type_of(p, lexicon))
        if _modifies_a_name(p, placed, lexicon, thing):
            continue  # 챗GPT 개발사 오픈AI는, 테슬라 수장 일론 머스크는: it only describes
        if p in subjects:
            (objects if thing or trigger.passive else actors).append(p.entity_id)
        elif p.role == "also" and kind == "meeting":
            objects.append(p.entity_id)  # 장관도 만났다: met the minister too
        elif p.role == "object" and _is_channel(tokens, p.particle):
            pass  # 허깅페이스를 통해 공개했다: the channel, not what was released
        elif p.role == "object" and not _verb_between(tokens, p.last, trigger.first):
            objects.append(p.entity_id)
        elif p.role == "adverbial" and kind in {"investment", "acquisition"} and not thing:
            objects.append(p.entity_id)  # 미스트랄 AI에 투자했다
        elif p.role == "adverbial" and kind == "apply" and thing:
            objects.append(p.entity_id)  # 바드에 적용했다: the service it went into
        elif (
            p.role == "owner"
            and thing
            and p.head
            and not _verb_between(tokens, p.last, trigger.first, relative_only=True)
        ):
            objects.append(p.entity_id)  # '가우디 2'의 테스트, 엑사원 3.0의 경량 모델
        elif (p.role == "partner" and kind not in _RELEASES) or (
            p.with_partner and kind in {"partnership", "meeting"}
        ):
            objects.append(p.entity_id)
            if kind == "partnership":
                actors.append(p.entity_id)
    if draft.tail.ending == "relative":
        # 유출한 구글 사내 메시지: the modified noun phrase is what the clause is about;
        # 챗GPT를 공개한 오픈AI는, 이날 출범한 AI 동맹: a company heading it is who acted
        own_actor = [a for a in actors if a not in objects]
        for p in placed:
            if draft.tail.end < p.first <= _phrase_end(tokens, draft.tail.end):
                acts = (
                    p.head
                    and not own_actor
                    and not trigger.passive
                    and not is_thing(entity_type_of(p, lexicon))
                )
                (actors if acts else objects).append(p.entity_id)
    if not [a for a in actors if a not in objects]:
        fallback = _possessor(clause, objects, lexicon) or _fallback_actors(
            draft, clause, placed, tokens, quoted, lexicon, ctx, sentence_index
        )
        actors = fallback + actors
    if not actors:
        actors = _collective_subject(tokens, draft, quoted)
    if kind == "alliance":
        objects += [a for a in actors if "alliance" in type_of(a, lexicon)]
    return _unique(actors), _unique(objects)


def _modifies_a_name(p: Placed, placed: list[Placed], lexicon: Any, thing: bool) -> bool:
    """챗GPT 개발사 오픈AI, 테슬라 수장 일론 머스크: a name describing a later one in the same
    noun phrase (a product its maker, a company its chief); a list (메타, IBM 등) is not."""
    return not p.head and any(
        q.first > p.last
        and q.particle == p.particle
        and (not thing or not is_thing(entity_type_of(q, lexicon)))
        and (thing or entity_type_of(q, lexicon).lower() == "person")
        for q in placed
    )


def _possessor(clause: list[Placed], objects: list[str], lexicon: Any) -> list[str]:
    """LG의 엑사원: the company owning the object, when no one else acts."""
    owners = [
        p.entity_id
        for p in clause
        if p.role == "owner"
        and not is_thing(entity_type_of(p, lexicon))
        and any(q.entity_id in objects and q.first == p.particle + 1 for q in clause)
    ]
    return owners[:1]


#: common nouns heading a subject that stands for several companies: 중국 AI 기업들은
_COLLECTIVE_HEADS = {"기업", "업체", "회사", "빅테크", "스타트업", "개발사", "기업체"}


def _collective_subject(tokens: Sequence[Token], draft: Clause, quoted: list[bool]) -> list[str]:
    """중국 AI 기업들은, 위 5곳 기업은: the subject as written, when it names many companies."""
    for i in range(draft.clause_start, min(draft.trigger.first, len(tokens))):
        token = tokens[i]
        tag = base_tag(token.tag)
        if quoted[i] or not (tag == "JKS" or (tag == "JX" and token.form in {"은", "는"})):
            continue
        head = i - 1
        if head >= 0 and tokens[head].form == "들" and base_tag(tokens[head].tag) == "XSN":
            head -= 1
        if head < 0 or tokens[head].form not in _COLLECTIVE_HEADS:
            continue
        plural = tokens[i - 1].form == "들" or any(
            base_tag(t.tag) in {"SN", "NR"} for t in tokens[max(0, head - 3) : head]
        )
        if not plural:
            continue  # 회사는: one company, a pronoun for the last actor
        start = head
        while start > draft.clause_start and base_tag(tokens[start - 1].tag) in _PHRASE_TAGS:
            start -= 1
        if start == head:
            return []  # 기업들은: companies in general, a generic statement
        return [_written(tokens[start:i])]
    return []


def is_collective(actor: str) -> bool:
    """Whether an actor is a collective subject as written (중국 AI 기업들), not an entity."""
    words = actor.split()
    return len(words) > 1 and words[-1].removesuffix("들") in _COLLECTIVE_HEADS


#: tags that may open a collective subject phrase: 중국의 AI 기업들, 위 5곳 기업
_PHRASE_TAGS = {"NNG", "NNP", "SL", "SN", "NNB", "NR", "MM", "JKG", "XSN", "XPN"}


def _written(tokens: Sequence[Token]) -> str:
    """Tokens as one phrase, spaced where the text had a gap (the particle 의 dropped)."""
    out = ""
    end = -1
    for token in tokens:
        if base_tag(token.tag) == "JKG":
            end = token.end
            continue
        if out and token.start > end:
            out += " "
        out += token.form
        end = token.end
    return out


def nearest_subjects(
    subjects: list[Placed], tokens: Sequence[Token], trigger_first: int, relative: bool = False
) -> list[Placed]:
    """구글 클라우드는 지난 2월 구글이 발표한 ... 제공한다: a subject separated from the
    predicate by another verb belongs to that verb; the topic (은/는) stays the main
    clause's subject; with nothing closer, every subject counts."""
    direct = [p for p in subjects if not _any_verb(tokens, p.particle, trigger_first)]
    if relative and direct:
        # 엔비디아 주가 폭락은 딥시크가 내놓은: the relative clause's own 이/가 subject,
        # not the main clause's topic before it
        marked = [p for p in direct if not _is_topic(tokens, p.particle)]
        return marked or direct
    topics = [p for p in subjects if p not in direct and _is_topic(tokens, p.particle)]
    if direct:
        return direct + topics
    return topics or subjects


def _is_topic(tokens: Sequence[Token], index: int) -> bool:
    return (
        0 <= index < len(tokens)
        and base_tag(tokens[index].tag) == "JX"
        and tokens[index].form in {"은", "는", "ᆫ"}
    )


def _any_verb(tokens: Sequence[Token], after: int, before: int) -> bool:
    return any(base_tag(t.tag) in {"VV", "XSV", "VA"} for t in tokens[max(after, 0) + 1 : before])


def type_of(entity_id: str, lexicon: Any) -> str:
    entity = lexicon.get(entity_id) if lexicon is not None else None
    return (getattr(entity, "entity_type", "") or "").lower()


def _verb_between(
    tokens: Sequence[Token], after: int, before: int, *, relative_only: bool = False
) -> bool:
    """젬마를 업그레이드해 ... 제공된다: the object belongs to a verb closed before the trigger."""
    own_particle = False
    new_phrase = False  # 클로드 3의 정식 버전과 ... 특화한 코드젬마: a later phrase's clause
    for i in range(after + 1, before):
        token = tokens[i]
        if token.form in _QUOTATIVE:
            continue  # 신제품을 탑재한다고 발표했다: the quoted clause's object is the news
        if base_tag(token.tag) in {"JC", "JKO"}:
            new_phrase = own_particle
            own_particle = True
        before = tokens[i - 1]
        if before.form in _POSTPOSITION_VERBS:
            continue  # 허깅페이스를 통해 공개했다: a channel, not a clause of its own
        if (
            not relative_only
            and base_tag(token.tag) == "EC"
            and base_tag(before.tag) in {"XSV", "VV", "EP"}
        ):
            return True
        if (
            base_tag(token.tag) == "ETM"
            and not new_phrase
            and base_tag(before.tag) in {"XSV", "VV", "EP"}
            and before.form not in _DATE_VERBS
        ):
            return True  # 챗GPT를 개발한 오픈AI가 ... 공개했다: 챗GPT belongs to 개발한
    return False


#: verbs that only form a date (지난 27일, 오는 9월), closing no clause
_DATE_VERBS = {"지나", "오"}
#: verbs that work as postpositions (X를 통해), closing no clause
_POSTPOSITION_VERBS = {"통하"}


def _is_channel(tokens: Sequence[Token], particle: int) -> bool:
    return particle + 1 < len(tokens) and tokens[particle + 1].form in _POSTPOSITION_VERBS


def _phrase_end(tokens: Sequence[Token], etm: int) -> int:
    for i in range(etm + 1, len(tokens)):
        tag = base_tag(tokens[i].tag)
        if tag.startswith("J") or tag in {"VCP", "VV", "XSV", "EC", "EF", "SF"}:
            return i
    return len(tokens) - 1


def _fallback_actors(
    draft: Clause,
    clause: list[Placed],
    placed: list[Placed],
    tokens: Sequence[Token],
    quoted: list[bool],
    lexicon: Any,
    ctx: Discourse,
    sentence_index: int,
) -> list[str]:
    """The actor when the clause names none: the sentence's topic (인텔은 ... 공개하고 ...
    체결했다), the referent of 양사/그, or, for a sentence with no subject at all, the actor
    of the sentences just before. A clause whose subject is a common noun (오픈소스는,
    이용자들은) gets none: that is how generic statements are told from events."""
    recent = sentence_index - ctx.actors_sentence <= _CARRY_SENTENCES
    pronoun = _pronoun_subject(tokens, draft.clause_start, draft.trigger.first)
    if pronoun == "양사":
        return list(ctx.pair) if ctx.pair else []
    if pronoun:
        return list(ctx.actors) if recent else []
    if _has_subject(tokens, draft.clause_start, draft.trigger.first, quoted):
        return []
    earlier = [p for p in placed if p.first < draft.clause_start and is_actor_subject(p, lexicon)]
    if earlier:
        return [p.entity_id for p in nearest_subjects(earlier, tokens, draft.trigger.first)]
    # 지난해 말 출시 이후 가입자가 늘었다: the main clause's subject is not the report's
    end = draft.trigger.first if draft.tail.background else len(tokens)
    if recent and draft.tail.ending != "relative" and not _has_subject(tokens, 0, end, quoted):
        return list(ctx.actors)
    return []


def _has_subject(tokens: Sequence[Token], start: int, end: int, quoted: list[bool]) -> bool:
    """Whether a noun phrase marked as subject or topic lies in ``tokens[start:end]``."""
    for i in range(max(start, 1), min(end, len(tokens))):
        token, prev = tokens[i], tokens[i - 1]
        if quoted[i]:
            continue
        tag = base_tag(token.tag)
        noun_before = base_tag(prev.tag)[:1] in {"N", "S"} or base_tag(prev.tag) == "XSN"
        if tag == "JKS" or (tag == "JX" and token.form in {"은", "는", "ᆫ"} and noun_before):
            return True
    return False


def _pronoun_subject(tokens: Sequence[Token], start: int, end: int) -> str:
    for i in range(start, min(end, len(tokens) - 1)):
        token, nxt = tokens[i], tokens[i + 1]
        if token.form == "양" and nxt.form == "사" and i + 2 < len(tokens):
            nxt, token = tokens[i + 2], Token("양사", "NNG", token.start, nxt.end)
        if token.form in PRONOUNS and (base_tag(nxt.tag) == "JKS" or nxt.form in {"은", "는"}):
            return token.form
    return ""


def is_actor_subject(p: Placed, lexicon: Any) -> bool:
    return (
        p.role in {"subject", "bare"}
        and not p.in_quote
        and not is_thing(entity_type_of(p, lexicon))
    )


def entity_type_of(p: Placed, lexicon: Any) -> str:
    if p.mention.entity_type:
        return p.mention.entity_type
    entity = lexicon.get(p.entity_id) if lexicon is not None else None
    return getattr(entity, "entity_type", "") or ""


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
