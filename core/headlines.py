"""Short Korean headlines for event mentions: ``메타, 라마 3.1 오픈소스 공개``.

A headline is the actor's Korean name, a comma, the object's Korean name and a verb
phrase. The verb phrase comes from the predicate table's ``headline`` column (공개, 출범,
협약 체결); a partnership names its partner with 와/과 chosen by the partner's last sound;
a planned or negated event says so.
"""

from __future__ import annotations

from typing import Any

from core.event_roles import type_of
from core.model import EventMention

#: verb phrase per event type, when the predicate gives none
_TYPE_PHRASES = {
    "release": "공개",
    "open_release": "오픈소스 공개",
    "partnership": "협약 체결",
    "alliance": "출범",
    "announcement": "발표",
    "statement": "입장 발표",
    "meeting": "회동",
    "conference": "개최",
    "leak": "유출",
    "plan": "추진",
    "investment": "투자",
    "acquisition": "인수",
    "other": "",
}
#: Latin letters and digits read aloud: does the name end in a consonant sound?
_LATIN_FINAL_CONSONANT = set("lmnrLMNR013678")


def korean_name(entity_id: str, lexicon: Any) -> str:
    """The entity's Korean display name, or its id when the lexicon has none."""
    entity = lexicon.get(entity_id) if lexicon is not None else None
    return (getattr(entity, "name_ko", "") or "").strip() or entity_id


def has_final_consonant(word: str) -> bool:
    """True when ``word`` ends in a consonant sound (과, 은, 을), False for a vowel (와, 는, 를)."""
    for char in reversed(word.strip()):
        if "가" <= char <= "힣":
            return (ord(char) - 0xAC00) % 28 != 0
        if char.isalnum():
            return char in _LATIN_FINAL_CONSONANT
    return False


def with_particle(word: str) -> str:
    """``허깅페이스와``, ``네이버클라우드와``, ``구글과``."""
    return word + ("과" if has_final_consonant(word) else "와")


def make_title(
    mention: EventMention, lexicon: Any, verb_phrase: str = "", object_text: str = ""
) -> str:
    """A headline of at most a few words built from the mention's actors, objects and type.

    ``object_text`` is the object as written (``글로벌 연합 결성``), used when no lexicon
    entity is the object."""
    event_type = mention.event_type
    phrase = (
        verb_phrase or _TYPE_PHRASES.get(event_type, "") or mention.predicate.removesuffix("다")
    )
    if event_type == "open_release" and "오픈소스" not in phrase:
        phrase = f"오픈소스 {phrase}"
    if mention.modality == "planned" and phrase != "추진":
        phrase = f"{phrase} 예정"
    elif mention.modality == "negated":
        phrase = f"{phrase} 안 해"
    actors = [a for a in mention.actors if a not in mention.objects]
    organisations = [a for a in actors if type_of(a, lexicon) != "person"]
    actors = organisations or actors  # 메타, not 마크 저커버그·메타
    partners = [o for o in mention.objects if o in mention.actors]
    things = [o for o in mention.objects if o not in mention.actors]
    subject = "·".join(korean_name(a, lexicon) for a in actors[:2])
    if event_type == "partnership" and (partners or things):
        partner = korean_name((partners or things)[0], lexicon)
        if object_text and phrase.endswith("체결"):
            phrase = f"{object_text} 체결"  # 파트너십 체결, 공동연구 업무협약 체결: as written
        body = f"{with_particle(partner)} {phrase}"
    elif event_type == "meeting" and things:
        body = f"{with_particle(korean_name(things[0], lexicon))} {phrase}"
    elif event_type == "alliance" and mention.objects:
        body = f"{korean_name(mention.objects[-1], lexicon)} {phrase}"
        subject = ""  # the alliance's name says who: "AI 얼라이언스 출범"
    elif things:
        body = f"{korean_name(things[0], lexicon)} {phrase}"
    elif object_text and event_type == "partnership" and phrase.endswith("체결"):
        body = f"{object_text} 체결"  # 업스테이지·AWS, 전략적 파트너십 체결
    elif object_text:
        body = f"{object_text} {phrase}"
    else:
        body = phrase
    title = f"{subject}, {body}" if subject else body
    return " ".join(title.split())
