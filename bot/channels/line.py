"""The LINE channel: webhook events in, the assistant's answers out as LINE messages.

The route (``bot/api/routes/line.py``) checks the signature and answers LINE at once; the events
are handled here afterwards. Each event is handled once (``webhookEventId``); text messages and
quick-reply presses go through the same input checks and the same assistant as the web chat;
everything else gets a polite answer. Answers use the reply token, with a push message when LINE
refuses the token, and are retried with backoff on 429 and 5xx. An answer not ready within a
second shows LINE's loading indicator meanwhile. No profile data is fetched.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Literal

import aiohttp
from anyio import to_thread
from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    FlexMessage,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
    URIAction,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import (
    AudioMessageContent,
    Event,
    EventMode,
    FileMessageContent,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
    VideoMessageContent,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.channels.flex import flex_message
from bot.channels.line_limits import (
    MAX_MESSAGES,
    MAX_POSTBACK_DATA_CHARS,
    MAX_QUICK_REPLIES,
    MAX_TEXT_CHARS,
    short_label,
)
from bot.conversation import replies
from bot.conversation.messages import BotMessage, Button, bot_message
from bot.core.db import with_retries
from bot.models import LineEvent, LineFollower
from bot.privacy.forget import FORGET_UNAVAILABLE, FORGOTTEN, asks_to_forget, forget_everywhere
from bot.services.assistant import Assistant
from bot.services.visitor_input import InputError, check_text
from bot.text.normalize import normalize

logger = logging.getLogger(__name__)

# The loading indicator (chat/loading/start): shown when an answer is not ready after a second,
# for up to LOADING_SECONDS (LINE: 5 to 60, a multiple of 5); our message ends it earlier.
LOADING_AFTER_SECONDS = 1.0
LOADING_SECONDS = 20

FOLLOW_GREETING = (
    "友だち追加ありがとうございます。東京都知的財産総合センターのチャットボットです。\n"
    "特許・実用新案・意匠・商標・著作権・営業秘密・知財の契約・権利侵害についての一般的なご質問にお答えし、"
    "当センターの支援制度や相談のご予約をご案内します。\n"
    "ご質問を文字で送っていただくか、下のボタンからお選びください。"
)
UNSUPPORTED = "申し訳ありません。{kind}にはお答えできません。お手数ですが、ご質問を文字で送ってください。"
_UNSUPPORTED_KINDS = {
    StickerMessageContent: "スタンプ",
    ImageMessageContent: "画像",
    VideoMessageContent: "動画",
    AudioMessageContent: "音声メッセージ",
    FileMessageContent: "ファイル",
    LocationMessageContent: "位置情報",
}

Delivery = Literal["reply", "push", "failed"]


# --- webhook requests -------------------------------------------------------------------------


def signature_of(secret: str, body: bytes) -> str:
    """LINE's signature of a raw body: Base64 of its HMAC-SHA256 with the channel secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    """True when ``signature`` (the ``X-Line-Signature`` header) matches the raw ``body``."""
    if not signature:
        return False
    return hmac.compare_digest(signature_of(secret, body).encode("ascii"), signature.encode("utf-8"))


def parse_events(body: bytes) -> list[Event]:
    """The events of a webhook body; raises ``ValueError`` when it is not one.

    Events the SDK cannot read (new types, unexpected shapes) are logged and left out.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except RecursionError as error:  # arrays or objects nested thousands deep
        raise ValueError("JSON nested too deeply") from error
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValueError("not a LINE webhook body")
    events = []
    for raw in data["events"]:
        try:
            events.append(Event.from_dict(raw))
        except (ValueError, TypeError, AttributeError, LookupError):  # LookupError: no 'type'
            kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
            logger.warning("LINE event of type %r could not be read; skipped", kind)
    return events


# --- LINE messages ----------------------------------------------------------------------------


def to_line_messages(messages: list[BotMessage]) -> list[TextMessage | FlexMessage]:
    """The bot's messages as at most five LINE messages: a card as a Flex Message, text as text;
    all the buttons as quick replies on the last. Past five, everything goes as text."""
    parts: list[TextMessage | FlexMessage] = []
    for message in messages:
        flex = flex_message(message)
        texts = split_text(message["text"]) if message["text"].strip() else []
        parts.extend([flex] if flex else [TextMessage(text=text) for text in texts])
    if len(parts) > MAX_MESSAGES:
        parts = [TextMessage(text=text) for text in _fit([m["text"] for m in messages if m["text"].strip()])]
    if parts:
        parts[-1].quick_reply = quick_reply([button for m in messages for button in m["buttons"]])
    return parts


def quick_reply(buttons: list[Button]) -> QuickReply | None:
    """Buttons as quick replies: postbacks carrying the payload that show the title as sent text."""
    items: list[QuickReplyItem] = []
    seen: set[str] = set()
    for button in buttons:
        title, payload = button["title"].strip(), button["payload"]
        if not title or not payload or payload in seen or len(payload) > MAX_POSTBACK_DATA_CHARS:
            continue
        seen.add(payload)
        if payload.startswith(("https://", "http://")):
            action = URIAction(label=short_label(title), uri=payload)
        else:
            action = PostbackAction(label=short_label(title), data=payload, display_text=title)
        items.append(QuickReplyItem(action=action))
    return QuickReply(items=items[:MAX_QUICK_REPLIES]) if items else None


def _fit(texts: list[str]) -> list[str]:
    """Texts cut to LINE's length limit; what goes beyond five messages is joined into the fifth."""
    chunks = [chunk for text in texts for chunk in split_text(text)]
    if len(chunks) <= MAX_MESSAGES:
        return chunks
    tail = "\n\n".join(chunks[MAX_MESSAGES - 1 :])
    if utf16_len(tail) > MAX_TEXT_CHARS:
        tail = tail[: _utf16_prefix(tail, MAX_TEXT_CHARS - 1)] + "…"
    return [*chunks[: MAX_MESSAGES - 1], tail]


def utf16_len(text: str) -> int:
    """The length of ``text`` as LINE counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _utf16_prefix(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units, cut at a line break where one is near."""
    pieces = []
    while utf16_len(text) > limit:
        end = _utf16_prefix(text, limit)
        cut = text.rfind("\n", end // 2, end)
        if cut < 0:
            cut = end
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [piece for piece in pieces if piece.strip()]


# --- sending ----------------------------------------------------------------------------------


class SendFailed(Exception):
    """LINE did not take a request; ``maybe_delivered`` when an earlier attempt may have arrived."""

    def __init__(self, status: int | None, detail: str, maybe_delivered: bool) -> None:
        super().__init__(f"status {status}: {detail}")
        self.status, self.detail, self.maybe_delivered = status, detail, maybe_delivered

    @property
    def reply_token_refused(self) -> bool:
        """LINE's answer to an expired or already used reply token."""
        return self.status == 400 and "invalid reply token" in self.detail.lower()

    @property
    def monthly_limit(self) -> bool:
        """LINE's 429 for an account past its monthly push quota (the other 429 is the rate limit)."""
        return self.status == 429 and "monthly limit" in self.detail.lower()

    @property
    def retryable(self) -> bool:
        """LINE's answer is worth trying again: the rate limit or a server error, never the quota."""
        if self.status is None:
            return False
        return (self.status == 429 and not self.monthly_limit) or self.status >= 500


class LineSender:
    """Sends messages to a LINE user: the reply token first, a push message when LINE refuses it."""

    def __init__(
        self,
        api: AsyncMessagingApi,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._api = api
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._timeout = timeout_seconds

    async def send(
        self, user_id: str, reply_token: str | None, messages: list[TextMessage | FlexMessage]
    ) -> Delivery:
        """Deliver ``messages`` and say how."""
        if reply_token:
            delivery = await self._reply(reply_token, messages)
            if delivery is not None:
                return delivery
        return await self._push(user_id, messages)

    async def show_loading(self, user_id: str) -> None:
        """Show the loading indicator in the user's chat (one attempt; a failure is only logged)."""
        request = ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=LOADING_SECONDS)
        try:
            await self._api.show_loading_animation(request, _request_timeout=self._timeout)
        except (ApiException, aiohttp.ClientError, TimeoutError) as error:
            logger.info("LINE loading indicator not shown: %s", error)

    async def _reply(self, reply_token: str, messages: list[TextMessage | FlexMessage]) -> Delivery | None:
        """Reply with the token; None when LINE refused the token, so a push should follow."""
        request = ReplyMessageRequest(reply_token=reply_token, messages=messages)
        try:
            await self._retrying(lambda: self._api.reply_message(request, _request_timeout=self._timeout))
        except SendFailed as failure:
            if failure.retryable:
                # Every attempt was answered 429/5xx, none said the token was used: push it instead
                # (once, thanks to its retry key) rather than lose the answer.
                logger.warning("LINE reply failed after retries (%s); sending a push message", failure)
                return None
            if not failure.reply_token_refused:
                logger.warning("LINE reply failed: %s", failure)
                return "failed"
            if failure.maybe_delivered:  # an earlier attempt has probably used the token: no repeat
                logger.info("LINE refused a reply token after an uncertain attempt; no push")
                return "reply"
            logger.info("LINE refused the reply token (expired or used); sending a push message")
            return None
        return "reply"

    async def _push(self, user_id: str, messages: list[TextMessage | FlexMessage]) -> Delivery:
        request = PushMessageRequest(to=user_id, messages=messages)
        retry_key = str(uuid.uuid4())  # the same key on every attempt: LINE delivers it once
        try:
            await self._retrying(
                lambda: self._api.push_message(
                    request, x_line_retry_key=retry_key, _request_timeout=self._timeout
                )
            )
        except SendFailed as failure:
            if failure.status == 409:  # an earlier attempt with this retry key was accepted
                return "push"
            if failure.monthly_limit:
                logger.error(
                    "LINE push refused: the account's monthly message limit is reached (%s)", failure
                )
                return "failed"
            logger.warning("LINE push failed: %s", failure)
            return "failed"
        return "push"

    async def _retrying(self, call: Callable[[], Awaitable[object]]) -> None:
        """Await ``call()``, trying again after a pause on 429, 5xx and network errors."""
        maybe_delivered = False
        for attempt in range(1, self._attempts + 1):
            try:
                await call()
                return
            except ApiException as error:
                failure = SendFailed(error.status, _detail(error), maybe_delivered)
                if not failure.retryable:
                    raise failure from error
                maybe_delivered = maybe_delivered or error.status >= 500
            except (aiohttp.ClientError, TimeoutError) as error:
                maybe_delivered = True
                failure = SendFailed(None, repr(error), maybe_delivered)
            if attempt < self._attempts:
                pause = self._backoff * 2 ** (attempt - 1)
                logger.info("LINE API did not take the request (%s); trying again in %.1f s", failure, pause)
                await asyncio.sleep(pause)
        raise failure


def _detail(error: ApiException) -> str:
    body = error.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return str(body or error.reason or "")


@asynccontextmanager
async def line_sender(base_url: str, access_token: str) -> AsyncIterator[LineSender]:
    """A sender with its own connection pool to the Messaging API at ``base_url``, closed on exit."""
    configuration = Configuration(host=base_url.rstrip("/"), access_token=access_token)
    async with AsyncApiClient(configuration) as client:
        yield LineSender(AsyncMessagingApi(client))


# --- what was handled, who follows ------------------------------------------------------------


def claim_event(webhook_event_id: str) -> bool:
    """Record that an event is being handled; False when it was before (a redelivery or a replay)."""

    def work(session: Session) -> None:
        session.add(LineEvent(webhook_event_id=webhook_event_id))
        session.flush()

    try:
        with_retries(work)
    except IntegrityError:
        return False
    return True


def set_following(user_id: str, following: bool, at: datetime) -> None:
    """Record a follow or an unfollow, unless a later one is recorded already (events can come late)."""

    def work(session: Session) -> None:
        row = session.get(LineFollower, user_id)
        if row is None:
            session.add(LineFollower(user_id=user_id, following=following, updated_at=at))
        elif _as_utc(row.updated_at) <= at:
            row.following, row.updated_at = following, at

    with_retries(work)


def is_following(user_id: str) -> bool:
    """False only for a user whose last recorded event was an unfollow."""

    def work(session: Session) -> bool:
        row = session.get(LineFollower, user_id)
        return row is None or row.following

    return with_retries(work)


def _as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; everything stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- events -----------------------------------------------------------------------------------


class LineChannel:
    """Handles the events of one webhook call, after LINE has had its 200."""

    def __init__(self, assistant: Assistant, sender: LineSender, max_chars: int) -> None:
        self._assistant = assistant
        self._sender = sender
        self._max_chars = max_chars
        self._background: set[asyncio.Task[None]] = set()

    async def handle(self, events: list[Event]) -> None:
        """Each user's events in order, different users side by side."""
        by_user: dict[str, list[Event]] = {}
        for event in events:
            user_id = _one_to_one_user(event)
            if user_id is None or event.mode == EventMode.STANDBY:
                logger.info("LINE %s event outside an active one-to-one chat; ignored", event.type)
                continue
            by_user.setdefault(user_id, []).append(event)
        await asyncio.gather(*(self._handle_in_order(user, queue) for user, queue in by_user.items()))

    async def _handle_in_order(self, user_id: str, events: list[Event]) -> None:
        for event in events:
            try:
                await self._handle(user_id, event)
            except Exception:
                logger.exception("LINE event %s could not be handled", event.webhook_event_id)

    async def _handle(self, user_id: str, event: Event) -> None:
        try:
            await self._handle_recorded(user_id, event)
        except SQLAlchemyError:  # the database stayed busy through the retries
            logger.exception("LINE event %s could not be recorded", event.webhook_event_id)
            if isinstance(event, MessageEvent | PostbackEvent):
                await self._send(user_id, event.reply_token, [bot_message(replies.STORE_UNAVAILABLE)])

    async def _handle_recorded(self, user_id: str, event: Event) -> None:
        if event.delivery_context.is_redelivery:
            logger.info("LINE event %s is a redelivery", event.webhook_event_id)
        if not await to_thread.run_sync(claim_event, event.webhook_event_id):
            logger.info("LINE event %s was handled before; skipped", event.webhook_event_id)
            return
        if isinstance(event, FollowEvent | UnfollowEvent):
            await self._follow_changed(user_id, event)
        elif await to_thread.run_sync(is_following, user_id):
            answer = await self._answer_showing_loading(user_id, event)
            if answer:
                await self._send(user_id, getattr(event, "reply_token", None), answer)

    async def _follow_changed(self, user_id: str, event: FollowEvent | UnfollowEvent) -> None:
        following = isinstance(event, FollowEvent)
        moment = datetime.fromtimestamp(event.timestamp / 1000, UTC)
        await to_thread.run_sync(set_following, user_id, following, moment)
        if isinstance(event, FollowEvent):
            greeting = [bot_message(FOLLOW_GREETING, replies.NEXT_STEP_BUTTONS)]
            await self._send(user_id, event.reply_token, greeting)

    async def _answer_showing_loading(self, user_id: str, event: Event) -> list[BotMessage]:
        """The answer; the loading indicator meanwhile when it takes more than a second."""
        answering = asyncio.ensure_future(self._answer(user_id, event))
        done, _ = await asyncio.wait({answering}, timeout=LOADING_AFTER_SECONDS)
        if not done and isinstance(event, MessageEvent | PostbackEvent):
            loading = asyncio.create_task(self._sender.show_loading(user_id))
            self._background.add(loading)  # a reference until it is done (asyncio keeps weak ones)
            loading.add_done_callback(self._background.discard)
        return await answering

    async def _answer(self, user_id: str, event: Event) -> list[BotMessage]:
        """What the bot says to a message or a quick-reply press (nothing to other events)."""
        if isinstance(event, PostbackEvent):
            return await self._ask(user_id, event.postback.data)
        if not isinstance(event, MessageEvent):
            return []
        if isinstance(event.message, TextMessageContent):
            return await self._ask(user_id, event.message.text)
        kind = _UNSUPPORTED_KINDS.get(type(event.message), "このメッセージ")
        return [bot_message(UNSUPPORTED.format(kind=kind), replies.NEXT_STEP_BUTTONS)]

    async def _ask(self, user_id: str, text: str) -> list[BotMessage]:
        """The assistant's answer, after the same input checks as the web chat; the keyword
        「会話を削除」 deletes the conversation instead (bot/privacy/forget.py)."""
        if asks_to_forget(normalize(text)):
            try:
                await to_thread.run_sync(forget_everywhere, user_id)
            except SQLAlchemyError:
                logger.exception("could not delete the conversation of a LINE user")
                return [bot_message(FORGET_UNAVAILABLE)]
            return [bot_message(FORGOTTEN)]
        try:
            visitor_text = check_text(text, self._max_chars)
        except InputError as error:
            return await self._assistant.refuse(user_id, "line", error.problem, self._max_chars)
        return await self._assistant.reply(user_id, "line", visitor_text)

    async def _send(self, user_id: str, reply_token: str | None, messages: list[BotMessage]) -> None:
        line_messages = to_line_messages(messages)
        if line_messages:
            await self._sender.send(user_id, reply_token, line_messages)


def _one_to_one_user(event: Event) -> str | None:
    """The user of a one-to-one chat (group and room chats are not served)."""
    source = getattr(event, "source", None)
    return source.user_id if isinstance(source, UserSource) else None
