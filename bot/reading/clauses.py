"""What a message that asks for a booking carries besides the request: the visitor's
introduction («株式会社ネクストリーフの小川です») and a few words about the matter
(«新サービス名の商標がとれるか知りたい»), read clause by clause once contacts are taken out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reading.contact import without_contacts
from bot.reading.names import own_name, read_company_and_name
from bot.text.normalize import has_words, normalize

_CLAUSE_END = re.compile(r"[。！!？?\n、,]+")
# A clause that asks for the booking itself, or names its day, place or consultant only.
_REQUEST = re.compile(
    r"相談|そうだん|予約|よやく|お願い|おねがい|希望|空いて|弁理士|弁護士|専門家|アドバイザー|"
    r"場所は|日時は|午前|午後|\d+\s*[/月日時]|曜"
)
_LEGAL_FORM = re.compile(r"株式会社|有限会社|合同会社|合資会社|一般社団法人|\(株\)|\(有\)|㈱|㈲")
_INTRODUCED = re.compile(r"の\s*[^の]{1,12}(?:です|と申します|と\s*もうします)$|と申します$|と\s*もうします$")
# A clause about the matter says what the visitor wants to know or is troubled by; context alone
# («大学発ベンチャーで研究開発をしている者です», «お世話になります») is left for the question.
_MATTER = re.compile(
    r"知りたい|聞きたい|教えて|とれるか|取れるか|できるか|かどうか|困って|悩んで|されて(い|る)|使われて|真似"
)
# The matter named as such («相談内容は、元従業員による…です»): a description at any question.
_NAMED_MATTER = re.compile(
    r"(?:ご?相談(?:の)?内容は|相談したいのは)[、,\s]*(?:「(?P<quoted>[^」]+)」|(?P<matter>[^。]+))"
)
# Where a named matter ends when the sentence goes on to another answer («…、連絡先はメールで…»).
_NEXT_ANSWER = re.compile(r"[、,]\s*(?:ご?連絡先|電話|メール|お?名前|会社|場所|日時).*$")
_TRAILING = re.compile(r"(?:です|でございます|となります|について)?[。!！\s]*$")


@dataclass(frozen=True)
class Carried:
    company: str | None = None
    person_name: str | None = None
    description: str | None = None


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_END.split(without_contacts(normalize(text), "、")) if c.strip()]


# Words of a matter, not of an introduction («いしょうの ことです», «商標の件です»).
_MATTER_WORDS = re.compile(
    r"こと|件|ため|特許|とっきょ|実用新案|意匠|いしょう|商標|しょうひょう|著作権|営業秘密|契約|侵害|ロゴ|デザイン"
)


def _introduction(clause: str) -> tuple[str, str | None] | None:
    """(company, name) when the clause introduces the visitor with a company."""
    if _REQUEST.search(clause) or not (_LEGAL_FORM.search(clause) or _INTRODUCED.search(clause)):
        return None
    if _MATTER_WORDS.search(clause) and not _LEGAL_FORM.search(clause):
        return None
    company, name = read_company_and_name(clause)
    return (company, name) if has_words(company) and (name or _LEGAL_FORM.search(company)) else None


def named_matter(text: str) -> str | None:
    """The matter when the message names it as such, else ``None``."""
    match = _NAMED_MATTER.search(normalize(text))
    if not match:
        return None
    matter = match.group("quoted") or _TRAILING.sub("", _NEXT_ANSWER.sub("", match.group("matter")))
    return matter if has_words(matter) else None


def carried(text: str) -> Carried:
    """The introduction and the description a booking request carries (``None`` where absent)."""
    company = name = None
    described = []
    for clause in _clauses(text):
        introduced = _introduction(clause) if company is None else None
        if introduced:
            company, name = introduced
        elif name is None and (named := own_name(clause)):
            name = named
        elif not _REQUEST.search(clause) and _MATTER.search(clause):
            described.append(clause)
    return Carried(company, name, "、".join(described) or None)
