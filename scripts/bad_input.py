"""Send a corpus of bad input to the running system and count what went wrong.

Every visitor door gets the same corpus: ``/api/chat``, ``/api/nlu/parse`` and the signed LINE
webhook (answers go to a stand-in of the Messaging API on loopback). Texts: empty, whitespace,
2,000 / 10,000 / 1,000,000 characters, control characters, lone surrogates, RTL and zero-width
characters, emoji and ZWJ sequences, HTML/JS, SQL, payload look-alikes. Bodies: binary, invalid
UTF-8, JSON of the wrong shape, deep nesting, wrong content types, no body, huge headers, raw
HTTP oddities. Then the gateway's database is read back: each visitor message that should have
been recorded must be, and no refused one may be.

Figures: inputs tried, 5xx seen (must be 0), contract violations, messages recorded vs. sent,
LINE replies delivered vs. expected. Exit status 1 when any of them is wrong.

Usage: python scripts/bad_input.py [--json out.json] [--scaled]
(starts the whole system from models/chizai.tar.gz in a scratch folder, on free loopback ports)
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.api.routes.line import MAX_WEBHOOK_BYTES  # noqa: E402
from bot.channels.line import signature_of  # noqa: E402
from bot.core.config import Settings  # noqa: E402
from bot.text.normalize import has_content, normalize  # noqa: E402
from scripts.scaled import scratch_scaled_system  # noqa: E402
from scripts.system import System  # noqa: E402
from tests.line.stand_in import LineApiStandIn  # noqa: E402

LINE_SECRET = "bad-input-channel-secret-0123456"
LINE_TOKEN = "bad-input-access-token"
REPLY_WAIT_SECONDS = 120
MAX_CHARS = Settings().max_message_chars

# --- the texts: (name, text, whether the gateway should accept and record it) ------------------

TEXTS: list[tuple[str, str, bool]] = [
    ("empty", "", False),
    ("whitespace", " \u3000\t\r\n ", False),
    ("2000 chars", "特許" * 1000, True),
    ("2001 chars", "特" * 2001, False),
    ("10000 chars", "商標" * 5000, False),
    ("1000000 chars", "あ" * 1_000_000, False),
    ("control characters only", "\x00\x01\x07\x1b\x7f\x85", False),
    ("NUL inside", "特\x00許の期間", True),
    ("ANSI escapes", "\x1b[31m特許\x1b[0mの期間は？", True),
    ("lone high surrogate", "\ud800", False),
    ("lone low surrogate", "\udfff", False),
    ("reversed surrogate pair", "\ude00\ud83d", False),
    ("surrogate inside text", "特許\ud800の期間は？", True),
    ("RTL Arabic", "مرحبا، ما هي براءة الاختراع؟", True),
    ("RTL Hebrew", "שלום, מה זה פטנט?", True),
    ("RTL override", "\u202e許特の期間\u202c", True),
    ("bidi controls only", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f", False),
    ("zero-width only", "\u200b\u200c\u200d\u2060\ufeff", False),
    ("zero-width inside", "特\u200b許\u200dの\ufeff期間は？", True),
    ("emoji only", "🙏🙏🙏", True),
    ("ZWJ family", "👨\u200d👩\u200d👧\u200d👦", True),
    ("flag, skin tone, keycap", "🇯🇵👍🏽1️⃣", True),
    ("HTML script", "<script>alert('xss')</script>", True),
    ("HTML attribute", '"><img src=x onerror=alert(1)>', True),
    ("JS URL", "javascript:alert(document.cookie)", True),
    ("SQL drop", "'; DROP TABLE messages; --", True),
    ("SQL union", "特許' UNION SELECT sender_id FROM conversations --", True),
    ("format strings", "{limit} {0} %s %n ${jndi:ldap://127.0.0.1/x}", True),
    ("path traversal", "../../../etc/passwd", True),
    ("restart payload", "/restart", True),
    ("malformed payload", '/inform{"consultation_kind":', True),
    ("unknown intent payload", "/no_such_intent", True),
    ("long entity payload", '/ask_patent{"ip_type":"' + "x" * 500 + '"}', True),
    ("combining marks", "特" + "\u0301" * 500, True),
    ("noncharacters", "\ufffe\uffff\U0010ffff", False),
    ("private use", "\ue000\uf8ff", False),
    ("replacement character", "\ufffd", True),
    ("half-width kana", "ﾄｯｷｮの期間は？", True),
    ("line and paragraph separators", "特許\u2028の\u2029期間", True),
    ("JSON in text", '{"text": "特許", "sender_id": "U0"}', True),
]


# --- cases --------------------------------------------------------------------------------------


@dataclass
class Case:
    """One request and what the gateway should do with it."""

    route: str  # "chat", "parse" or "line"
    name: str
    body: bytes | None = None  # None: no body at all
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a raw HTTP request sent over a socket instead
    statuses: tuple[int, ...] = (200,)  # what the gateway may answer
    records: int = 0  # visitor messages it should record for ``key``
    key: str | None = None  # whose messages are counted (chat: the sender_id it answers with)
    reply_tokens: tuple[str, ...] = ()  # LINE: reply tokens that must get an answer
    # Headers past the HTTP server's limit (CHIZAI_MAX_HEADER_BYTES) may be refused before the
    # gateway sees them, with a 400 or by closing the connection while the client still sends.
    refused_early: bool = False


def _json(value: Any) -> bytes:
    """JSON as UTF-8; lone surrogates as ``\\ud800`` escapes (they cannot be UTF-8)."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value).encode("ascii")


JSON = {"content-type": "application/json"}
PARSE_REFUSED = (400, 413)

# Bodies that are not a usable request at all, whatever route.
BAD_BODIES: list[tuple[str, bytes]] = [
    ("binary", bytes(range(256)) * 4),
    ("invalid UTF-8", b'{"text": "\x80\xff\xfe"}'),
    ("overlong UTF-8", b'{"text": "\xc0\xaf\xe0\x80\xaf"}'),
    ("surrogate encoded as UTF-8 bytes", b'{"text": "\xed\xa0\x80"}'),
    ("Shift_JIS", '{"text": "特許の期間"}'.encode("shift_jis")),
    ("UTF-16", '{"text": "特許の期間"}'.encode("utf-16")),
    ("UTF-8 with BOM", '\ufeff{"text": "特許の期間"}'.encode()),
    ("truncated JSON", '{"text": "特許'.encode()),
    ("trailing garbage", '{"text": "特許"} xyz'.encode()),
    ("single quotes", "{'text': '特許'}".encode()),
    ("comments", '{"text": "特許" /* c */}'.encode()),
    ("array", _json([{"text": "特許の期間は？"}])),
    ("number", b"42"),
    ("string", _json("特許の期間は？")),
    ("null", b"null"),
    ("true", b"true"),
    ("NaN", b"NaN"),
    ("huge number", b"9" * 5000),
    ("deeply nested array", b"[" * 30000 + b"]" * 30000),
    ("deeply nested text", b'{"text": ' + b"[" * 30000 + b"]" * 30000 + b"}"),
    ("deeply nested object", b'{"a":' * 10000 + b"1" + b"}" * 10000),
    ("empty object", b"{}"),
    ("text as number", _json({"text": 42})),
    ("text as list", _json({"text": ["特許"]})),
    ("text as null", _json({"text": None})),
    ("text as bool", _json({"text": True})),
    ("text as object", _json({"text": {"text": "特許"}})),
    ("text as NaN", b'{"text": NaN}'),
    ("body just over 64 KiB", _json({"text": "a" * 65536})),
]


EMPTY_BODIES = frozenset({"empty object", "text as null"})


def _records(text: str, usable: bool) -> int:
    """Visitor messages a text should leave in the transcript: one when usable, and one when it
    is empty (recorded as such: a run of empty messages gets a shorter answer); none when too long."""
    empty = len(text) <= MAX_CHARS and not has_content(normalize(text))
    return int(usable or empty)


def _chat_sender() -> str:
    return f"web-bad-{uuid.uuid4().hex}"


def _raw_request(path: bytes, head: list[bytes], content: bytes) -> bytes:
    lines = [b"POST " + path + b" HTTP/1.1", b"Host: x", b"Connection: close", *head]
    return b"\r\n".join(lines) + b"\r\n\r\n" + content


def web_cases() -> list[Case]:
    """The corpus for ``/api/chat`` and ``/api/nlu/parse``."""
    cases: list[Case] = []
    for name, text, usable in TEXTS:
        sender = _chat_sender()
        body = _json({"sender_id": sender, "text": text})
        cases.append(Case("chat", name, body, JSON, records=_records(text, usable), key=sender))
        cases.append(
            Case("parse", name, _json({"text": text}), JSON, statuses=(200,) if usable else PARSE_REFUSED)
        )
    for name, body in BAD_BODIES:
        # No text at all is an empty message, recorded under the sender id the answer carries.
        cases.append(Case("chat", name, body, JSON, records=int(name in EMPTY_BODIES)))
        cases.append(Case("parse", name, body, JSON, statuses=PARSE_REFUSED))

    valid = "特許の期間は？"
    odd_senders: list[tuple[str, Any]] = [
        ("sender_id as list", ["web-x"]),
        ("sender_id as number", 12345),
        ("sender_id as Infinity", None),  # written raw below
        ("sender_id too long", "web-" + "a" * 300),
        ("sender_id of another channel", f"U{uuid.uuid4().hex}"),
        ("sender_id with SQL", "web-1' OR '1'='1"),
        ("sender_id with newline", "web-abc\nSet-Cookie: x=y"),
        ("sender_id with surrogate", "web-\ud800"),
    ]
    for name, sender in odd_senders:
        body = (
            f'{{"sender_id": Infinity, "text": "{valid}"}}'.encode()
            if sender is None
            else _json({"sender_id": sender, "text": valid})
        )
        # A fresh web- sender id is made up and answered: the message is recorded under it.
        cases.append(Case("chat", name, body, JSON, records=1))
    sender = _chat_sender()
    extra = {"sender_id": sender, "text": valid, "role": "admin", "__proto__": {"admin": True}}
    cases.append(Case("chat", "extra fields", _json(extra), JSON, records=1, key=sender))
    sender = _chat_sender()
    duplicate = f'{{"sender_id": "{sender}", "text": "", "text": "{valid}"}}'.encode()
    cases.append(Case("chat", "duplicate keys (the last wins)", duplicate, JSON, records=1, key=sender))

    def both(
        name: str, body: bytes | None, headers: dict[str, str], usable: bool, early: bool = False
    ) -> None:
        """A chat and a parse case; ``early``: headers past the limit, which h11 refuses when they
        arrive in pieces and parses when they arrive whole (either is right)."""
        sender = _chat_sender()
        chat_body = body.replace(b"__SENDER__", sender.encode()) if body else body
        parse_body = body.replace(b'"sender_id": "__SENDER__", ', b"") if body else body
        if early:
            for route, content in (("chat", chat_body), ("parse", parse_body)):
                cases.append(
                    Case(route, name, content, headers, statuses=(200, 400, 431), refused_early=True)
                )
            return
        cases.append(
            Case("chat", name, chat_body, headers, records=int(usable), key=sender if usable else None)
        )
        cases.append(Case("parse", name, parse_body, headers, statuses=(200,) if usable else PARSE_REFUSED))

    good = _json({"sender_id": "__SENDER__", "text": valid})
    both("no body", None, {}, False)
    both("empty body", b"", JSON, False)
    both("no content type", good, {}, True)
    both("text/plain", good, {"content-type": "text/plain"}, True)
    both(
        "form-urlencoded",
        "text=特許の期間は？".encode(),
        {"content-type": "application/x-www-form-urlencoded"},
        False,
    )
    both(
        "multipart",
        b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nabc\r\n--b--\r\n',
        {"content-type": "multipart/form-data; boundary=b"},
        False,
    )
    both("XML", "<text>特許の期間は？</text>".encode(), {"content-type": "application/xml"}, False)
    both("header of 8 KB", good, {**JSON, "x-padding": "a" * 8192}, True)
    both("50 headers", good, {**JSON, **{f"x-h{i}": "v" * 100 for i in range(50)}}, True)
    both("header of 64 KB", good, {**JSON, "x-padding": "a" * 65536}, False, early=True)
    both("header of 1 MB", good, {**JSON, "x-padding": "a" * 1_000_000}, False, early=True)
    both("500 headers", good, {**JSON, **{f"x-h{i}": "v" * 100 for i in range(500)}}, False, early=True)

    # Raw HTTP: what a client library would not send.
    body = _json({"text": valid})
    length = f"Content-Length: {len(body)}".encode()
    chunked = b"Transfer-Encoding: chunked"
    one_chunk = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    big_chunks = (b"8000\r\n" + b"a" * 0x8000 + b"\r\n") * 3 + b"0\r\n\r\n"  # 96 KiB
    for route, path in (("chat", b"/api/chat"), ("parse", b"/api/nlu/parse")):
        chat = route == "chat"
        accepted = 1 if chat else 0
        refused, too_long = ((200,), (200,)) if chat else (PARSE_REFUSED, (413,))
        for name, head, content, statuses, records in [
            ("no Content-Length, no body", [], b"", refused, 0),
            ("declared length over the limit", [b"Content-Length: 99999999999"], b"{}", too_long, 0),
            ("chunked body over the limit", [chunked], big_chunks, too_long, 0),
            ("chunked valid body", [chunked], one_chunk, (200,), accepted),
            ("non-ASCII header bytes", [b"X-Name: \xe7\x89\xb9\xff", length], body, (200,), accepted),
        ]:
            request = _raw_request(path, head, content)
            cases.append(Case(route, name, raw=request, statuses=statuses, records=records))
        http10 = b"POST " + path + b" HTTP/1.0\r\n" + length + b"\r\n\r\n" + body
        cases.append(Case(route, "HTTP/1.0", raw=http10, records=accepted))
        bad_line = b"POST " + path + b" HTTP/9.9 x\r\n\r\n"
        cases.append(Case(route, "malformed request line", raw=bad_line, statuses=(400, 505)))
    return cases


# --- LINE ---------------------------------------------------------------------------------------


def _line_event(kind: str, user_id: Any, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        **fields,
    }


def line_text_event(user_id: Any, text: Any) -> dict[str, Any]:
    message = {"id": uuid.uuid4().hex[:18], "type": "text", "quoteToken": uuid.uuid4().hex, "text": text}
    return _line_event("message", user_id, message=message)


def webhook_body(*events: Any) -> bytes:
    return _json({"destination": "U" + "0" * 32, "events": list(events)})


def _user() -> str:
    return f"U{uuid.uuid4().hex}"


def line_cases(secret: str) -> list[Case]:
    """The corpus for the signed LINE webhook."""

    def signed(body: bytes) -> dict[str, str]:
        return {
            "content-type": "application/json; charset=UTF-8",
            "x-line-signature": signature_of(secret, body),
        }

    cases: list[Case] = []

    def answered(
        name: str,
        user: str,
        events: list[dict[str, Any]],
        records: int,
        headers: dict[str, str] | None = None,
        statuses: tuple[int, ...] = (200,),
    ) -> None:
        """A signed call whose events must each be answered (unless it is refused as a whole)."""
        body = webhook_body(*events)
        tokens = tuple(e["replyToken"] for e in events) if statuses == (200,) else ()
        headers = {**signed(body), **(headers or {})}
        case = Case(
            "line", name, body, headers, statuses=statuses, records=records, key=user, reply_tokens=tokens
        )
        cases.append(case)

    for name, text, usable in TEXTS:
        user = _user()
        event = line_text_event(user, text)
        too_big = len(webhook_body(event)) > MAX_WEBHOOK_BYTES  # 1,000,000 kana: refused whole
        recorded = 0 if too_big else _records(text, usable)
        answered(name, user, [event], recorded, statuses=(413,) if too_big else (200,))
    for name, data, usable in [
        ("postback empty", "", False),
        ("postback surrogate", "\ud800", False),
        ("postback HTML", "<script>alert(1)</script>", True),
        ("postback SQL", "'; DROP TABLE line_events; --", True),
        ("postback malformed payload", '/inform{"consultation_kind":', True),
        ("postback 3000 chars", "/" + "x" * 2999, False),
    ]:
        user = _user()
        answered(name, user, [_line_event("postback", user, postback={"data": data})], _records(data, usable))
    user = _user()
    answered(
        "ten texts in one call", user, [line_text_event(user, f"特許の期間は？{i}") for i in range(10)], 10
    )
    user = _user()
    answered(
        "wrong content type",
        user,
        [line_text_event(user, "特許の期間は？")],
        1,
        {"content-type": "text/plain"},
    )
    user = _user()
    answered(
        "header of 8 KB",
        user,
        [line_text_event(user, "特許の期間は？")],
        1,
        headers={"x-padding": "a" * 8192},
    )

    def refused(name: str, body: bytes | None, headers: dict[str, str], status: tuple[int, ...]) -> None:
        cases.append(Case("line", name, body, headers, statuses=status))

    for name, body in BAD_BODIES:
        refused(name, body, signed(body), (400,))
    refused("empty body", b"", signed(b""), (400,))
    refused("no body, no signature", None, {}, (400,))
    body = webhook_body(line_text_event(_user(), "特許"))
    refused("no signature", body, {"content-type": "application/json"}, (400,))
    refused("wrong signature", body, {"x-line-signature": signature_of("another-secret", body)}, (400,))
    cases.append(
        Case("line", "signature of 1 MB", body, {"x-line-signature": "a" * 1_000_000}, statuses=(400, 431),
             refused_early=True)  # a whole header that h11 parses is refused by the signature check
    )  # fmt: skip
    refused("events not a list", _json({"events": {"0": {}}}), signed(_json({"events": {"0": {}}})), (400,))
    big = webhook_body(line_text_event(_user(), "a" * 1_100_000))
    refused("body over 1 MiB", big, signed(big), (413,))

    # Well-signed calls whose events are unreadable or not for the bot: 200, nothing answered.
    for name, events in [
        ("events of the wrong type", [1, "x", None, [], {}]),
        ("text as number", [line_text_event(_user(), 42)]),
        ("text as list", [line_text_event(_user(), ["特許"])]),
        ("text as null", [line_text_event(_user(), None)]),
        ("text as object", [line_text_event(_user(), {"text": "特許"})]),
        ("message missing", [_line_event("message", _user())]),
        ("unknown event type", [_line_event("somethingNew", _user())]),
        ("group chat", [{**line_text_event(_user(), "特許"), "source": {"type": "group", "groupId": "C1"}}]),
        ("source missing", [{k: v for k, v in line_text_event(_user(), "特許").items() if k != "source"}]),
        ("user id with a surrogate", [line_text_event("U\ud800", "特許の期間は？")]),
        (
            "no webhookEventId",
            [{k: v for k, v in line_text_event(_user(), "特許").items() if k != "webhookEventId"}],
        ),
    ]:
        body = webhook_body(*events)
        cases.append(Case("line", name, body, signed(body)))
    # Not a LINE user id, but signed: answered (whether it can be stored depends on the database).
    odd = line_text_event("U" + "f" * 10000, "特許の期間は？")
    body = webhook_body(odd)
    cases.append(
        Case("line", "user id of 10,000 chars", body, signed(body), reply_tokens=(odd["replyToken"],))
    )
    user = _user()
    good = line_text_event(user, "特許の期間は？")
    mixed = webhook_body(1, {"type": "message"}, good)
    tokens = (good["replyToken"],)
    cases.append(
        Case(
            "line",
            "garbage beside a good event",
            mixed,
            signed(mixed),
            records=1,
            key=user,
            reply_tokens=tokens,
        )
    )
    return cases


# --- running ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    status: int | None  # None: no answer (transport error)
    problem: str | None
    sender_id: str | None = None  # chat: whose conversation the gateway answered in

    @property
    def expected_records(self) -> int:
        """Visitor messages this outcome should have stored (a header past the limit that the
        server parsed after all is an ordinary chat turn)."""
        parsed_after_all = self.case.refused_early and self.case.route == "chat" and self.status == 200
        return self.case.records or int(parsed_after_all)


PATHS = {"chat": "/api/chat", "parse": "/api/nlu/parse", "line": "/webhooks/line"}


def _send_raw(base_url: str, request: bytes, timeout: float = 30) -> tuple[int | None, bytes]:
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except TimeoutError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    try:
        return int(head.split(b" ", 2)[1]), body
    except (IndexError, ValueError):
        return None, answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return False


def _check(case: Case, status: int | None, body: bytes) -> tuple[str | None, str | None]:
    """What is wrong with an answer (None when nothing), and the chat sender id it carried."""
    if status is None:
        return "no answer", None
    if status >= 500:
        return f"answered {status}", None
    if status not in case.statuses:
        return f"answered {status}, expected one of {case.statuses}", None
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    if status != 200:
        if (case.raw is not None or case.refused_early) and not isinstance(data, dict):
            return None, None  # refused by the HTTP server itself, before the gateway saw it
        error = data.get("error") if isinstance(data, dict) else None
        shaped = isinstance(error, dict) and error.get("code") and error.get("message")
        return (None if shaped else "error without the contract's shape"), None
    if case.route == "line":
        return (None if data == {"status": "ok"} else "LINE's 200 without its body"), None
    if case.route == "parse":
        keys = {"text", "normalized_text", "intent", "intent_ranking", "entities"}
        return (
            None if isinstance(data, dict) and keys <= data.keys() else "parse answer of the wrong shape"
        ), None
    if not isinstance(data, dict) or not str(data.get("sender_id", "")).startswith("web-"):
        return "chat answer without a web sender_id", None
    messages = data.get("messages")
    if not messages or not all(isinstance(m, dict) and str(m.get("text", "")).strip() for m in messages):
        return "chat answer without messages", data["sender_id"]
    return None, data["sender_id"]


def send_case(client: httpx.Client, base_url: str, case: Case) -> Outcome:
    try:
        if case.raw is not None:
            status, body = _send_raw(base_url, case.raw)
        else:
            response = client.post(PATHS[case.route], content=case.body, headers=case.headers)
            status, body = response.status_code, response.content
    except httpx.HTTPError as error:
        return Outcome(case, None, None if case.refused_early else f"transport error: {error!r}")
    problem, sender_id = _check(case, status, body)
    return Outcome(case, status, problem, sender_id)


def recorded_counts(database_url: str, keys: list[str]) -> Counter[str]:
    """Visitor messages stored per sender id (SQLite or PostgreSQL)."""
    counts: Counter[str] = Counter()
    query = sqlalchemy.text(
        "SELECT c.sender_id, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
        " WHERE m.direction = 'visitor' AND c.sender_id IN :keys GROUP BY c.sender_id"
    ).bindparams(sqlalchemy.bindparam("keys", expanding=True))
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            for start in range(0, len(keys), 500):
                counts.update(dict(connection.execute(query, {"keys": keys[start : start + 500]}).all()))
    finally:
        engine.dispose()
    return counts


@dataclass
class Figures:
    inputs: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    server_errors: int = 0
    problems: list[str] = field(default_factory=list)
    should_record: int = 0
    recorded: int = 0
    recorded_though_refused: int = 0
    line_replies_expected: int = 0
    line_replies_delivered: int = 0
    line_unexpected_replies: int = 0
    line_pushes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.server_errors == 0
            and not self.problems
            and self.recorded == self.should_record
            and self.recorded_though_refused == 0
            and self.line_replies_delivered == self.line_replies_expected
            and self.line_unexpected_replies == 0
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs_tried": sum(self.inputs.values()),
            "inputs_by_route": dict(self.inputs),
            "statuses": dict(sorted(self.statuses.items())),
            "server_errors_5xx": self.server_errors,
            "contract_problems": self.problems,
            "messages_that_should_be_recorded": self.should_record,
            "messages_recorded": self.recorded,
            "messages_recorded_though_refused": self.recorded_though_refused,
            "line_replies_expected": self.line_replies_expected,
            "line_replies_delivered": self.line_replies_delivered,
            "line_unexpected_replies": self.line_unexpected_replies,
            "line_pushes": self.line_pushes,
            "seconds": round(self.seconds, 1),
        }

    def report(self) -> str:
        lost = self.should_record - self.recorded
        lines = [
            f"inputs tried: {sum(self.inputs.values())} "
            f"({', '.join(f'{route} {count}' for route, count in sorted(self.inputs.items()))})",
            f"answers by status: {', '.join(f'{s}: {n}' for s, n in sorted(self.statuses.items()))}",
            f"5xx seen: {self.server_errors}",
            f"contract problems: {len(self.problems)}",
            *(f"  - {problem}" for problem in self.problems),
            f"visitor messages that should be recorded: {self.should_record}, recorded: {self.recorded}"
            f" (lost {lost}); recorded though refused: {self.recorded_though_refused}",
            f"LINE replies expected: {self.line_replies_expected}, delivered: {self.line_replies_delivered}"
            f", unexpected: {self.line_unexpected_replies}, push messages: {self.line_pushes}",
            f"time: {self.seconds:.1f} s",
            "result: OK" if self.ok else "result: FAILED",
        ]
        return "\n".join(lines)


def run_corpus(
    gateway_url: str,
    database_url: str,
    line_api: LineApiStandIn | None = None,
    line_secret: str = LINE_SECRET,
    workers: int = 4,
) -> Figures:
    """Send the whole corpus (LINE too when a stand-in is given) and read the results back."""
    started = time.monotonic()
    cases = web_cases() + (line_cases(line_secret) if line_api else [])
    figures = Figures()

    def send(case: Case) -> Outcome:
        # A fresh connection per case: an answer sent before a huge body was read closes it.
        with httpx.Client(base_url=gateway_url, timeout=60) as client:
            return send_case(client, gateway_url, case)

    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(send, cases))
    for outcome in outcomes:
        case = outcome.case
        figures.inputs[case.route] += 1
        figures.statuses[str(outcome.status)] += 1
        if outcome.status is not None and outcome.status >= 500:
            figures.server_errors += 1
        if outcome.problem:
            figures.problems.append(f"{case.route} / {case.name}: {outcome.problem}")

    if line_api is not None:
        _wait_for_line_replies(line_api, outcomes, figures)

    expected: Counter[str] = Counter()
    refused_keys: set[str] = set()
    for outcome in outcomes:
        case = outcome.case
        key = case.key if case.route == "line" else outcome.sender_id
        if case.route == "chat" and case.key and outcome.sender_id not in (None, case.key) and case.records:
            figures.problems.append(f"chat / {case.name}: answered as {outcome.sender_id}, not {case.key}")
        if key is None:
            continue
        if records := outcome.expected_records:
            expected[key] += records
        else:
            refused_keys.add(key)
    counts = recorded_counts(database_url, sorted(expected.keys() | refused_keys))
    figures.should_record = sum(expected.values())
    figures.recorded = sum(min(counts[key], wanted) for key, wanted in expected.items())
    figures.recorded_though_refused = sum(counts[key] for key in refused_keys - expected.keys()) + sum(
        max(counts[key] - wanted, 0) for key, wanted in expected.items()
    )
    figures.seconds = time.monotonic() - started
    return figures


def _wait_for_line_replies(line_api: LineApiStandIn, outcomes: list[Outcome], figures: Figures) -> None:
    """Wait until every expected LINE reply arrived at the stand-in (or the time is up)."""
    wanted = {token for o in outcomes if o.case.route == "line" for token in o.case.reply_tokens}
    case_of: dict[str, str] = {}  # every reply token sent, and the case it was sent in
    for outcome in outcomes:
        if outcome.case.route != "line" or not outcome.case.body:
            continue
        try:
            events = json.loads(outcome.case.body).get("events") or []
        except (ValueError, AttributeError, RecursionError):
            continue
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("replyToken"), str):
                case_of[event["replyToken"]] = outcome.case.name

    def delivered() -> set[str]:
        return {c.body.get("replyToken") for c in line_api.calls("reply") if c.status == 200}

    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while time.monotonic() < deadline and not wanted <= delivered():
        time.sleep(0.2)
    time.sleep(1)  # let replies that should not come show up too
    replied = delivered()
    unexpected = (replied & case_of.keys()) - wanted
    figures.line_replies_expected = len(wanted)
    figures.line_replies_delivered = len(wanted & replied)
    figures.line_unexpected_replies = len(unexpected)
    figures.problems += [f"line / {case_of[token]}: answered though it should not be" for token in unexpected]
    figures.problems += [f"line / {case_of[token]}: no reply" for token in wanted - replied]
    figures.line_pushes = len([c for c in line_api.calls("push") if c.status == 200])


def line_env(line_api: LineApiStandIn, secret: str = LINE_SECRET) -> dict[str, str]:
    """The environment that points the gateway's LINE channel at the stand-in."""
    return {
        "LINE_CHANNEL_SECRET": secret,
        "LINE_CHANNEL_ACCESS_TOKEN": line_api.access_token,
        "CHIZAI_LINE_API_BASE_URL": line_api.url,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--scaled", action="store_true", help="against the scaled system (PostgreSQL, Redis, replicas)"
    )
    args = parser.parse_args()

    with LineApiStandIn(LINE_TOKEN) as line_api, tempfile.TemporaryDirectory() as workdir:
        if args.scaled:
            system: System = scratch_scaled_system(Path(workdir), line_env(line_api))
        else:
            system = System(Path(workdir), extra_env=line_env(line_api))
        with system:
            figures = run_corpus(system.gateway_url, system.database_url, line_api)
    print(figures.report())
    if args.json:
        args.json.write_text(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2), "utf-8")
    sys.exit(0 if figures.ok else 1)


if __name__ == "__main__":
    main()
