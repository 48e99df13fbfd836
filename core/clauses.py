"""Which predicates of a sentence head a reportable clause, and which do not, and why.

A predicate heads a clause that runs from the end of the previous one to its own ending.
Some clauses are not reports of an event: conditionals (공개하면), purposes, questions,
definitions (공개하는 것을 뜻한다), habits (공개하지 않던), descriptions (개최된 행사,
추가한 내용), restatements (손잡은 것이다) and opinions about reported events (내놨다고
보긴 어렵다). Each such clause is kept with a ``skip`` reason rather than dropped, so a
reader (or a test) can see why no event came from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.modality import Clause, analyse_tail
from core.model import Token
from core.predicates import Trigger, base_tag

#: head nouns that make an adnominal clause a description, not a report: 추가한 내용
_ABSTRACT_HEADS = {"내용", "점", "방식", "사실", "경우", "데", "편", "정도", "상황", "가능성"}
#: verbs of saying after which a quoted clause is the speaker's own news (공개하겠다고 밝혔다)
_SPEECH_VERBS = {"밝히", "말하", "전하", "설명", "강조", "언급", "공언", "보도"}
#: verbs by which a third party reports the event: its modality is "reported"
REPORTING_VERBS = {"보도", "전하"}


_DOUBLE_QUOTES = frozenset(["“", "”", '"'])


def quote_mask(tokens: Sequence[Token]) -> list[bool]:
    """True for tokens inside double quotes (speech); single quotes only mark names."""
    if _DOUBLE_QUOTES.isdisjoint([t.form for t in tokens]):
        return [False] * len(tokens)  # most sentences quote no one
    mask = []
    inside = False
    for token in tokens:
        form = token.form
        if form == "“" or (form == '"' and not inside):
            inside = True
            mask.append(True)
            continue
        if form == "”" or (form == '"' and inside):
            inside = False
            mask.append(True)
            continue
        mask.append(inside)
    return mask


def find_clauses(tokens: Sequence[Token], triggers: list[Trigger]) -> list[Clause]:
    """One draft per trigger with its clause; the ones that are not events say why."""
    drafts: list[Clause] = []
    start = 0
    for trigger in triggers:
        tail = analyse_tail(tokens, trigger)
        draft = Clause(trigger, tail, start, tail.modality)
        if tail.ending in {"conditional", "purpose", "nominal", "habitual", "question"}:
            draft.skip = tail.ending
        elif tail.definition:
            draft.skip = "definition"
        elif tail.time_reference:
            draft.skip = "time reference"
        elif tail.possibility:
            draft.skip = "possibility"
        elif tail.ending == "relative" and tail.negated:
            draft.skip = "negated description"  # 공개하지 않는 폐쇄 진영
        elif tail.ending == "relative" and trigger.passive:
            draft.skip = "passive description"  # 개최된 행사, 공개된 모델: background
        elif tail.ending == "relative" and _follows_on(tokens, tail.end):
            pass  # 라마 3를 출시한 데 이어 ...: an event in its own right
        elif tail.ending == "relative" and _head_noun(tokens, tail.end) in _ABSTRACT_HEADS:
            draft.skip = "description"
        elif tail.ending == "final" and _is_restatement(tokens, tail.end):
            draft.skip = "restatement"
        drafts.append(draft)
        start = max(start, tail.end + 1)
    # 탑재한다고 발표했다: the quoted clause is what the announcement is about
    for left, right in zip(drafts, [*drafts[1:], None]):
        if left.tail.ending != "quote" or left.skip:
            continue
        if right is not None and right.trigger.event_type in {"announcement", "statement"}:
            left.skip = "reported speech"
            right.clause_start = left.clause_start
        else:
            verb = _speech_verb_after(tokens, left.tail.end)
            if verb < 0:
                left.skip = "reported opinion"  # 내놨다고 보긴 어렵다: an opinion about an event
                continue
            # 공개하겠다고 (16일) 밝혔다: the speaker's own news; the clause runs to the verb
            left.tail = replace(left.tail, end=verb)
            if tokens[verb].form in REPORTING_VERBS and left.modality != "planned":
                left.modality = "reported"  # ... 공개했다고 블룸버그가 보도했다
    for draft in drafts:
        if _through_a_channel(tokens, draft):
            _run_to_saying(tokens, draft)
    return drafts


#: verbs a statement through a channel ends on: 블로그를 통해 (14일) 밝혔다
_SAYING_VERBS = _SPEECH_VERBS | {"드러내", "발표", "공개", "알리"}


def _through_a_channel(tokens: Sequence[Token], draft: Clause) -> bool:
    return (
        draft.trigger.event_type == "statement"
        and tokens[draft.trigger.last].form == "통하"
        and draft.tail.ending == "coordinate"
        and not draft.skip
    )


def _run_to_saying(tokens: Sequence[Token], draft: Clause) -> None:
    """서한을 통해 "..."며 자신감을 드러냈다: the statement's clause and tense are those of
    the sentence's final verb of saying (quotes aside)."""
    quoted = quote_mask(tokens)
    ends = [
        i
        for i in range(draft.tail.end + 1, len(tokens))
        if base_tag(tokens[i].tag) == "EF" and not quoted[i]
    ]
    if not ends:
        return
    end = ends[-1]
    saying = [i for i in range(draft.tail.end + 1, end) if tokens[i].form in _SAYING_VERBS]
    if not saying or any(quoted[i] for i in saying[-1:]):
        return
    past = any(
        base_tag(t.tag) == "EP" and t.form in {"었", "았", "였", "ᆻ"}
        for t in tokens[saying[-1] : end]
    )
    draft.tail = replace(draft.tail, end=end, ending="final")
    draft.modality = "happened" if past else "present"


def _follows_on(tokens: Sequence[Token], etm: int) -> bool:
    forms = [t.form for t in tokens[etm + 1 : etm + 3]]
    return forms[:1] == ["데"] and len(forms) == 2 and forms[1] in {"잇", "이어", "이어서"}


def _speech_verb_after(tokens: Sequence[Token], end: int) -> int:
    """The index of the verb of saying after a quotative ending (밝혔다, 보도했다), or -1."""
    for i in range(end + 1, len(tokens)):
        token = tokens[i]
        if token.form in _SPEECH_VERBS:
            return i
        if base_tag(token.tag) in {"EF", "EC", "SF", "ETM"}:
            return -1
    return -1


def _head_noun(tokens: Sequence[Token], etm: int) -> str:
    return tokens[etm + 1].form if etm + 1 < len(tokens) else ""


def _is_restatement(tokens: Sequence[Token], end: int) -> bool:
    """손잡은 것이다: the sentence rephrases the one before it."""
    forms = [t.form for t in tokens[end - 1 : end + 3]]
    return len(forms) >= 3 and forms[1] == "것" and forms[2] == "이" and forms[0] in {"ᆫ", "은"}
