"""Company and person names as visitors type them: 「株式会社ミドリ電機の鈴木です」「鈴木と申します」."""

from __future__ import annotations

import re

from bot.text.normalize import normalize

_LEGAL_FORM = re.compile(r"株式会社|有限会社|合同会社|合資会社|一般社団法人|\(株\)|\(有\)|㈱|㈲")
_SELF_INTRODUCTION = re.compile(
    r"\s*(?:です|でございます|と申します|と\s*もうします|と?いいます|と?言います|っす|だよ|やで|です。|(?<=[\u4e00-\u9fff])や)$"
)
# Two sentences, a company then a name («青戸メッキです。おおたけと申します»).
_TWO_SENTENCES = re.compile(r"^(?P<company>[^。]+?)(?:です|でございます)?[。\s]+(?P<name>[^。]+)$")
_PREFIX = re.compile(r"^(?:名前は|氏名は|お名前は|私は|わたしは|担当の|担当は|会社名は|社名は)\s*")
_TRAILING = re.compile(r"[。、!！?？\s]+$")
_HONORIFIC = re.compile(r"(?:さん|様|さま)$")
# A job title after the company («ヤマブキ製作所 総務課長», «ネオセル・ラボ、研究開発担当»).
_TITLE = re.compile(
    r"[、,\s]+[^、,\s]*(?:課長|部長|社長|代表取締役|代表|担当者?|取締役|主任|係長|専務|常務|室長|所長|理事|職員|社員)$"
)
_COMPANY_AND_NAME = re.compile(r"^(?P<company>.+)の(?P<name>[^の]{1,12})$")
# The company itself inside words about it («大学発ベンチャーの株式会社ヒカリメディカルで研究開発を
# 担当しております»): the legal form and the name beside it, up to the first kana particle.
_FORM = r"(?:株式会社|有限会社|合同会社|合資会社|一般社団法人|\(株\)|\(有\)|㈱|㈲)"
_COMPANY_CORE = re.compile(rf"{_FORM}[^\sぁ-ん、。,]+|[^\sぁ-ん、。,]+{_FORM}")
_OWN_NAME = re.compile(
    r"^(?:私は|わたくしは|わたしは)?\s*(?P<name>[^\s、。,]{1,10}?)\s*(?:と申します|と\s*もうします)$"
)


def _bare(text: str) -> str:
    text = _TRAILING.sub("", normalize(text))
    text = _PREFIX.sub("", text)
    return _TRAILING.sub("", text)


# An answer to another question, typed where the name was asked («同意します», «はい»).
_NOT_A_NAME = re.compile(r"^(?:はい|いいえ|同意|承諾|了解|承知|お願い|よろしく)|^(?:ok|yes|no)$", re.I)
_LEADING_YES = re.compile(r"^(?:はい|ええ)[、,\s]+")


def read_person_name(text: str) -> str:
    """The name without the words around it (「鈴木です」→ 鈴木, 「名前は山田花子です」→ 山田花子);
    empty for an answer that is no name («同意します»)."""
    bare = _LEADING_YES.sub("", _bare(text))
    if _NOT_A_NAME.search(bare):
        return ""
    name = _SELF_INTRODUCTION.sub("", bare)
    return _HONORIFIC.sub("", _TRAILING.sub("", name)).strip()


def _company_core(company: str) -> str:
    """The company without the words around it, when they are kana around a legal form."""
    core = _COMPANY_CORE.search(company)
    return core.group(0) if core and re.search(r"[ぁ-ん]", company) else company


def own_name(text: str) -> str | None:
    """The name of a clause that only introduces the visitor («橋本直樹と申します»), else ``None``."""
    match = _OWN_NAME.match(_bare(text))
    return read_person_name(match.group("name")) if match else None


def read_company_and_name(text: str) -> tuple[str, str | None]:
    """The company, and the person's name when both came in one message
    (「株式会社ミドリ電機の鈴木です」→ (株式会社ミドリ電機, 鈴木)); a company alone gives ``None``."""
    bare = _bare(text)
    sentences = _TWO_SENTENCES.match(bare)
    if sentences and "。" in bare and _SELF_INTRODUCTION.search(sentences.group("name")):
        return _bare(sentences.group("company")), read_person_name(sentences.group("name"))
    introduced = bool(_SELF_INTRODUCTION.search(bare))
    body = _SELF_INTRODUCTION.sub("", bare)
    parts = _COMPANY_AND_NAME.match(body)
    if parts and (introduced or _LEGAL_FORM.search(parts.group("company"))):
        company = _TITLE.sub("", parts.group("company")).strip()
        return _company_core(company), read_person_name(parts.group("name"))
    return _company_core((body if introduced else bare).strip()), None


def company_named(text: str) -> str | None:
    """A company named with its legal form anywhere in a sentence («株式会社ミドリ電機の鈴木です»)."""
    match = _COMPANY_CORE.search(_bare(text))
    return match.group(0) if match else None
