"""Spot urgent matters in a visitor's words: a live legal threat or a near deadline.

Urgent is what has happened to the visitor and needs acting on soon: a warning letter, a lawsuit
or an injunction received or threatened, goods held by customs, a listing taken down, copies of
their product on sale, a former employee taking secrets, a contract to sign now, a deadline in
days. A question about those things in general («訴状ってどういう書類ですか», «警告書が来たら
どうしよう»), a hypothetical or another company's case is not, though it uses the same words.

Visitors type in kanji, kana or romaji: the rules run on the normalised text and on its reading
in katakana (Sudachi), so 「けいこくしょがきました」 reads as a warning letter received.
Measured on the blind sets by ``scripts/evaluate_urgency.py`` (``make eval``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.escalation.urgency_model import THRESHOLD, model
from bot.text.normalize import normalize, reading

# Something aimed at the visitor that can hurt them soon.
_THREAT = (
    r"警告|訴状|訴訟|訴え|提訴|裁判|差し?止め?|仮処分|通知書|内容証明|損害賠償|賠償|和解案|"
    r"cease\s*(and|&)\s*desist|c&d|lawsuit|\bsue\b|file suit|infringement|taken down|takedown|"
    r"keikoku|uttae|soshou|sashitome|侵害(している|してる|だ|と|の疑い)|権利侵害|"
    r"出品(が)?(停止|削除|止め)|販売(停止|中止)|取引(停止|打ち切り)|契約(打ち切り|解除)|アカウント停止|税関|請求書|請求され|"
    r"他社(の)?(登録)?(商標|特許|意匠).{0,8}(かぶ|同じ|似て|抵触)|差し?押さ|通関|廃棄|"
    r"(しろ|せよ|しなさい|払え)(って|と)"
)
_THREAT_KANA = r"ケイコク|ソジョウ|ソショウ|ウッタエ|テイソ|サイバン|サシトメ|カリショブン|ナイヨウショウメイ|ゼイカン|シンガイ"
# It reached them: received, said to them, done to them.
_HAPPENED = (
    r"(届|とど)(い|き)|来(た|ました|て)|(?<![おでてにいりし])きた(?!い)|きました|受け取|受け(まし|た)|もらっ|"
    r"言われ|いわれ|指摘され|申告され|迫られ|求められ|要求され|止められ|止まっ|されました|された|されて|"
    r"かけられ|起こされ|られ(た|ました|て)|連絡(が|を)|電話(が)?あ(っ|り)|わかりました|わかった|判明|気付|気づ|"
    r"received|\bgot\b|\bsays\b|\bsaid\b|came|kita|kimashita|todoita|iwareta"
)
_HAPPENED_KANA = r"トド(イ|キ)|キマシ|キタ|ウケトッ|イワレ|トメラレ|トマッ|サレ"
# Their product copied and sold, or their secrets taken: happening now.
_COPIED = (
    r"模倣品|偽物|偽サイト|偽造|ニセモノ|にせもの|パク(っ|リ|られ)|コピー品|海賊版|そっくり|無断|"
    r"勝手に|そのまま"
)
_ON_SALE = r"リリース|販売|売(っ|ら|り|ら|れ)|出回|出品|出展|出て(る|て)|並んで|通販|載って|使われ|使って|製造|量産|作って|作ら"
_ON_SALE_KANA = r"ウッテ|ウラレ|ウレテ|ハンバイ|デマワ"
_LEAVER = (
    r"元(社員|役員|従業員|CTO|CEO|COO|メンバー|エンジニア)|元.{1,4}(部長|課長|担当)|退職(者|した)|辞め(た|て)|"
    r"転職した|(ライバル|競合).{0,4}(に)?移っ|業務委託.{0,20}契約終了"
)
_TAKEN = (
    r"持ち出|持ってい|転送|アップロード|コピーして|clone|盗|流出|漏れ|同じ商売|電話かけ|競合(会社|他社)|"
    r"競合に|立ち上げ|送って(た|い)|営業(を)?かけ|そっくり使"
)
# Their invention about to be shown before it is filed.
_DISCLOSED_SOON = (
    r"(展示会|発表|公開|プレスリリース|学会|発売|出展|テレビ|クラファン|見せ|紹介).{0,30}"
    r"((まだ|未).{0,12}(出願|申請|出して|出してな|出てな)|(出願|申請)(は|も)?(まだ|して(い)?ない))"
)
_DISCLOSED_SOON_KANA = r"マダ.{0,8}(ダシ|シュツガン)"
# A deadline in days (today, tomorrow, this or next week, N days, a weekday).
_SOON = (
    r"今日|本日|明日|あした|明後日|あさって|今週|来週|週明け|週末|今夜|今朝|今月末|昨日|過ぎ(た|て)|切れ(た|て)|"
    r"あと\s*\d+\s*日|\d+\s*日(以内|後|まで)|[一二三四五六七]日以内|[月火水木金土日]曜(日)?(まで|に)|金曜|月曜|"
    r"この場で|今すぐ|いますぐ|至急|大至急|急ぎ|急いで|焦って|あせって|早く|はやく|すぐ|"
    r"within\s*\d+\s*days?|next week|tomorrow|today|yesterday|asap|urgent|ashita|kyou|asatte"
)
_SOON_KANA = r"キョウ|アシタ|アス|アサッテ|コンシュウ|ライシュウ|シキュウ|イソギ"
_DEADLINE = r"within|unless|deadline|made ni|期限|締め?切り?|まで(に|と)|以内|までに|返事しろ|回答しろ|サインしろ|迫られ|求められ|言われ|くれと|しないと"
_DEADLINE_KANA = r"キゲン|シメキリ|マデニ"
_PROBLEM = (
    r"侵害|警告|訴|差し?止|模倣|偽|パク|持ち出|期限|停止|特許|商標|意匠|著作|契約|NDA|ライセンス|"
    r"拒絶理由|審査請求|国内移行|優先|出願|和解|請求|賠償|税関|通知|仮処分|ドメイン|払え|"
    r"(返答|回答|返事)(しない|する|しろ|を求め)"
)
_PROBLEM_KANA = r"トッキョ|ショウヒョウ|イショウ|チョサク|ケイヤク|シンサ|シュツガン"
# Asking about it in general, in case, for someone else, or after the fact: not urgent.
_GENERAL = (
    r"とは|って何|ってなに|ってどういう|どういう(書類|制度|時|とき|こと|もの|意味)|どんな|違い|一般的|参考|事例|"
    r"セミナー|研修|資料に|資料を作|勉強|講座|説明したい|知っておきたい|備え|予防|心配してるだけ|まだ(来|届|見つ)|"
    r"(来|届|され|言われ|訴えられ|止められ|パクられ)(たら|た時)|場合の(対応|流れ)|リスク|ニュース|友人の|知り合いの|怖い|"
    r"年前|たことが(ある|あり)|いつか|時のために|今は何も|今のところ|(を|は)(出し|送っ|送り)(た|ました)|"
    r"(返信|回答|返事|連絡)(いただけ|ください|をお願い)|テンプレ|ひな形|"
    r"送りたい|送る予定|送って|やめてもらえ|解決し|和解し(まし)?た|終わった|無事に|去年|昔|以前|何年|有効期間|流れを"
)


@dataclass(frozen=True)
class _Views:
    text: str
    kana: str

    def has(self, pattern: str, kana_pattern: str | None = None) -> bool:
        if re.search(pattern, self.text, re.I):
            return True
        return bool(kana_pattern and re.search(kana_pattern, self.kana))


def _views(text: str) -> _Views:
    normalized = normalize(text)
    return _Views(normalized, reading(normalized) if normalized else "")


LEARNED_REASON = "文面から緊急の可能性"


def urgent_reason(text: str) -> str | None:
    """Why ``text`` is urgent by the rules («警告書が届いた», «期限が近い», …), or ``None``. The rules
    interrupt a turn (a form, an answer) to hand the matter to staff at once."""
    normalized = normalize(text)
    return _rule_reason(normalized) if normalized else None


def likely_urgent_reason(text: str) -> str | None:
    """The rules' reason, else the learned model's (bot/escalation/urgency_model.py) when it finds
    the sentence urgent. It sets the priority of a hand-off that happens anyway and what staff
    read; it never interrupts a turn by itself (its false alarms would cost a booking)."""
    normalized = normalize(text)
    if not normalized:
        return None
    if reason := _rule_reason(normalized):
        return reason
    if _has_words(normalized) and model(_by_rules).probability(normalized) >= THRESHOLD:
        return LEARNED_REASON
    return None


# The learned model reads sentences: an address, a number or a word alone is no message to weigh.
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|[\d\s\-+()./:]+")
MIN_WORD_CHARS = 8


def _has_words(text: str) -> bool:
    return len(_NOT_WORDS.sub("", text)) >= MIN_WORD_CHARS


def warm_up() -> None:
    """Train the learned model now (about a second), not on a visitor's first turn."""
    model(_by_rules)


def _by_rules(text: str) -> bool:
    return _rule_reason(normalize(text)) is not None


def _rule_reason(text: str) -> str | None:
    views = _views(text)
    general = views.has(_GENERAL)
    soon = views.has(_SOON, _SOON_KANA)
    if views.has(_THREAT, _THREAT_KANA) and views.has(_HAPPENED, _HAPPENED_KANA) and (not general or soon):
        return "相手方からの警告・請求・手続"
    if views.has(_COPIED) and views.has(_ON_SALE, _ON_SALE_KANA) and not general:
        return "模倣品・無断使用が出回っている"
    if views.has(_LEAVER) and views.has(_TAKEN) and not general:
        return "営業秘密の持ち出し"
    if soon and views.has(_DEADLINE, _DEADLINE_KANA) and views.has(_PROBLEM, _PROBLEM_KANA) and not general:
        return "期限が近い"
    if soon and views.has(_DISCLOSED_SOON, _DISCLOSED_SOON_KANA):
        return "出願前の公開が近い"
    return None


# A deadline as the visitor states it: a date, a weekday or a span, before まで・以内・期限, or after 期限は.
_WHEN = (
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}|"
    r"(?:あと)?[\d一二三四五六七八九十]+\s*(?:日|週間|か月|ヶ月|カ月|ケ月)|"
    r"(?:今週|来週)?の?[月火水木金土日]曜日?|今日|本日|明日|明後日|あさって|今週(?:中|末)?|来週(?:中|末)?|"
    r"今月(?:中|末)|来月(?:中|末)?|月末|年内"
)
_STATED_DEADLINE = re.compile(
    rf"(?:期限|締め?切り?|回答期限|返答期限)(?:は|が)?\s*(?P<after>{_WHEN})|(?P<before>{_WHEN})\s*(?:以内|までに|まで|が期限|が締め?切り?)"
)


def stated_deadline(text: str) -> str | None:
    """The deadline the visitor wrote («12月10日まで», «2週間以内», «来週の金曜»), as written; else ``None``."""
    match = _STATED_DEADLINE.search(normalize(text))
    if not match:
        return None
    return match.group("after") or match.group(0).removesuffix("に")
