/*
 * chizai-bot chat widget for the website of 東京都知的財産総合センター.
 * Embed with one line: <script src="https://<gateway>/widget.js" defer></script>
 * Plain JS, no dependencies. Everything lives in a shadow root, so the host page's styles
 * and the widget's styles never touch each other. Visitor and bot text is only ever
 * inserted as text (textContent / text nodes), never as HTML.
 */
(function () {
  "use strict";

  if (window.chizaiWidget) return;
  window.chizaiWidget = {};

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const BASE = new URL(".", script && script.src ? script.src : window.location.href);

  const HUMAN = { title: "担当者と話す", payload: "/request_human" };
  const STARTERS = [
    { title: "支援制度を見る", payload: "/ask_program" },
    { title: "センターの場所", payload: "/ask_center_info" },
    { title: "相談を予約する", payload: "/book_consultation" },
  ];
  const TEXT = {
    launcher: "チャットで質問する",
    title: "チャットでのご案内",
    subtitle: "自動応答でお答えします",
    subtitleLive: "センターの担当者がお答えしています",
    close: "チャットを閉じる",
    welcome:
      "こんにちは。東京都知的財産総合センターの自動応答チャットです。" +
      "特許・商標・意匠・著作権などのご質問や、当センターの相談・支援制度についてご案内します。",
    privacyTitle: "個人情報の取り扱いについて",
    privacy:
      "ご質問にお答えし、サービスを改善するため、このチャットのやり取りは記録されます。" +
      "お名前・電話番号・メールアドレスなどの個人情報や、公開前の発明・デザインの詳しい内容は、" +
      "こちらからお尋ねした場合を除き、入力しないでください。",
    privacyMore: "詳しくはこちら",
    general:
      "このチャットは一般的な情報のご案内で、個別の案件への法的な助言ではありません。" +
      "ご自身の案件は知的財産相談でご相談ください。",
    forget: "この会話を削除",
    forgetConfirm: "この会話の記録を削除します。元に戻せません。よろしいですか。",
    forgetYes: "削除する",
    forgetNo: "やめる",
    startersLabel: "よくあるご用件",
    logLabel: "会話の履歴",
    choicesLabel: "選択肢",
    inputLabel: "ご質問",
    placeholder: "ご質問を入力してください",
    hint: "Enterキーで送信、Shift+Enterキーで改行します。",
    send: "送信",
    typing: "回答を準備しています",
    visitorSpeaker: "あなた：",
    botSpeaker: "自動応答：",
    staffSpeaker: "センターの担当者：",
    staffName: "担当者",
    unsent: "未送信（接続を待っています）",
    offline:
      "ただいまサーバーに接続できません。接続が戻りしだい、自動でお送りします。入力された内容は消えませんので、しばらくお待ちください。",
    retryNow: "今すぐ再接続",
    failed: "申し訳ありません。メッセージをお送りできませんでした。お手数ですが、もう一度お試しください。",
    newTab: "（新しいタブで開きます）",
    forgotten: "この会話の記録を削除しました。",
  };
  const KEYS = {
    sender: "chizai-widget:sender",
    open: "chizai-widget:open",
    draft: "chizai-widget:draft",
    queue: "chizai-widget:queue",
  };
  const SENDER_PATTERN = /^web-[0-9a-f]{32}$/;
  const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const REQUEST_TIMEOUT_MS = 30000;
  const URL_PATTERN = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
  const URL_TRAILING = /[.,;:!?'")\]]+$/;
  const CHAT_ICON = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z";
  const CLOSE_ICON =
    "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z";

  const CSS = `
:host { all: initial; }
*, *::before, *::after { box-sizing: border-box; }
.root {
  font-family: system-ui, -apple-system, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP",
    "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif;
  font-size: 15px; line-height: 1.6; color: #1f2933;
}
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
[hidden] { display: none !important; }
.sr {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
svg { width: 22px; height: 22px; fill: currentColor; flex: none; }
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 8px; padding: 12px 20px;
  border: 0; border-radius: 999px; background: #0b4f8a; color: #fff; font-weight: 700;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25);
}
.launcher:hover { background: #083a66; }
.panel {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483001;
  width: 390px; height: min(660px, calc(100vh - 40px));
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border-radius: 14px; box-shadow: 0 10px 40px rgba(0, 0, 0, 0.3);
}
.head { display: flex; align-items: center; gap: 8px; padding: 10px 8px 10px 16px; background: #0b4f8a; color: #fff; }
.title { flex: 1; min-width: 0; margin: 0; font-size: 16px; font-weight: 700; line-height: 1.35; }
.title small { display: block; font-size: 11px; font-weight: 400; }
.human {
  flex: none; padding: 6px 12px; border: 1px solid #fff; border-radius: 999px;
  background: #fff; color: #0b4f8a; font-size: 13px; font-weight: 700;
}
.human:hover { background: #e8f0f8; }
.close {
  flex: none; display: inline-flex; align-items: center; justify-content: center;
  width: 40px; height: 40px; padding: 0; border: 0; border-radius: 8px; background: transparent; color: #fff;
}
.close:hover { background: rgba(255, 255, 255, 0.15); }
.scroll { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 14px; background: #f4f6f9; }
.welcome { margin: 0 0 10px; }
.notice {
  margin: 0 0 14px; padding: 8px 12px; font-size: 13px; line-height: 1.6;
  background: #fff8e1; border: 1px solid #eed58a; border-radius: 8px;
}
.notice strong { display: block; }
.notice p { margin: 0; }
.notice a { color: #0b57d0; }
.link { margin-top: 4px; padding: 4px 0; border: 0; background: none; color: #0b57d0; font-size: 13px; text-decoration: underline; cursor: pointer; }
.forget-ask { margin-top: 6px; }
.forget-ask .choice { margin: 6px 6px 0 0; }
.messages { display: flex; flex-direction: column; gap: 12px; margin: 0; padding: 0; list-style: none; }
.msg { display: flex; flex-direction: column; max-width: 88%; }
.msg.bot { align-self: flex-start; align-items: flex-start; }
.msg.staff .author { font-size: 12px; color: #3d4a5c; margin: 0 0 2px; }
.msg.visitor { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.bot .bubble { background: #fff; border: 1px solid #d3dae2; border-top-left-radius: 4px; }
.visitor .bubble { background: #0b4f8a; color: #fff; border-top-right-radius: 4px; }
.bubble a { color: #0b57d0; text-decoration: underline; }
.card-title { margin: 0 0 6px; font-weight: 700; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.card dt { color: #4a5561; }
.card dd { margin: 0; }
.card dd.keep { white-space: nowrap; }
.card-note { margin: 6px 0 0; font-size: 0.85em; color: #4a5561; }
.meta { margin-top: 2px; font-size: 11px; color: #52606d; }
.state { margin-left: 6px; color: #a61b0f; font-weight: 700; }
.visitor.unsent .bubble { background: #fff; color: #1f2933; border: 1px dashed #0b4f8a; }
.choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.choice {
  min-height: 36px; padding: 4px 12px; border: 1px solid #0b4f8a; border-radius: 999px;
  background: #fff; color: #0b4f8a; font-size: 14px;
}
.choice:hover { background: #e8f0f8; }
.starters { margin: 0 0 14px; }
.typing .bubble { display: inline-flex; align-items: center; gap: 5px; min-height: 40px; }
.dot { width: 7px; height: 7px; border-radius: 50%; background: #7b8794; animation: chizai-blink 1.2s infinite ease-in-out; }
.dot:nth-child(2) { animation-delay: 0.2s; }
.dot:nth-child(3) { animation-delay: 0.4s; }
@keyframes chizai-blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dot { animation: none; } }
.offline {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 0; padding: 8px 12px;
  font-size: 13px; background: #fdecea; color: #7a1a10; border-top: 1px solid #f3c1bb;
}
.retry { padding: 2px 10px; border: 1px solid #7a1a10; border-radius: 6px; background: #fff; color: #7a1a10; font-size: 13px; }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 10px 4px; border-top: 1px solid #d3dae2; background: #fff; }
textarea {
  flex: 1; min-width: 0; height: 44px; max-height: 132px; margin: 0; padding: 9px 12px; resize: none;
  border: 1px solid #7b8794; border-radius: 10px; background: #fff; color: #1f2933;
  font: inherit; font-size: 16px; line-height: 1.5;
}
textarea:focus { border-color: #0b4f8a; }
.send { flex: none; height: 44px; padding: 0 18px; border: 0; border-radius: 10px; background: #0b4f8a; color: #fff; font-weight: 700; }
.send:hover { background: #083a66; }
.hint { margin: 0; padding: 0 12px 8px; font-size: 11px; color: #52606d; background: #fff; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .launcher { right: 12px; bottom: 12px; }
}
`;

  /** A storage that falls back to memory when the browser refuses Web Storage. */
  function storage(kind) {
    try {
      const store = window[kind];
      store.setItem("chizai-widget:probe", "1");
      store.removeItem("chizai-widget:probe");
      return store;
    } catch (_) {
      const memory = new Map();
      return {
        getItem: (key) => (memory.has(key) ? memory.get(key) : null),
        setItem: (key, value) => memory.set(key, String(value)),
        removeItem: (key) => memory.delete(key),
      };
    }
  }
  const local = storage("localStorage");
  const session = storage("sessionStorage");

  function randomHex(bytes) {
    const values = crypto.getRandomValues(new Uint8Array(bytes));
    return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** The visitor's stored sender id, or null before the first conversation. */
  function storedSender() {
    const id = local.getItem(KEYS.sender);
    return id && SENDER_PATTERN.test(id) ? id : null;
  }

  /** The visitor's sender id, created on first use and shared by every tab. */
  function senderId() {
    let id = storedSender();
    if (!id) {
      id = "web-" + randomHex(16);
      local.setItem(KEYS.sender, id);
    }
    return id;
  }

  function loadQueue() {
    try {
      const items = JSON.parse(session.getItem(KEYS.queue) || "[]");
      return Array.isArray(items) ? items.filter((i) => typeof i.text === "string") : [];
    } catch (_) {
      return [];
    }
  }

  function saveQueue(queue) {
    const items = queue.map(({ text, label, at }) => ({ text, label, at }));
    if (items.length) session.setItem(KEYS.queue, JSON.stringify(items));
    else session.removeItem(KEYS.queue);
  }

  /** Build an element; strings among children become text nodes, never markup. */
  function h(tag, props, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, value);
    }
    node.append(...(children || []));
    return node;
  }

  function icon(path) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const shape = document.createElementNS(ns, "path");
    shape.setAttribute("d", path);
    svg.append(shape);
    return svg;
  }

  const NUMBER_PATTERN = /^(CZ|R)-[0-9A-Z]{6}$/;

  function safeHref(raw) {
    try {
      const url = new URL(raw);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  /** Bot text with its http(s) addresses turned into links, built from DOM nodes only. */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    let done = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
      const raw = match[0].replace(URL_TRAILING, "");
      const href = safeHref(raw);
      if (!href) continue;
      fragment.append(text.slice(done, match.index));
      const label = h("span", { class: "sr", text: TEXT.newTab });
      fragment.append(h("a", { href, target: "_blank", rel: "noopener noreferrer" }, [raw, label]));
      done = match.index + raw.length;
    }
    fragment.append(text.slice(done));
    return fragment;
  }

  /** A card (a program, a booking, slot offers): its title, its rows as a list of terms and
   * values (a booking number never breaks), then its notes. */
  function cardContent(card) {
    const rows = Array.isArray(card.rows) ? card.rows.filter((row) => Array.isArray(row) && row.length === 2) : [];
    const notes = Array.isArray(card.notes) ? card.notes : [];
    const terms = rows.flatMap(([label, value]) => [
      h("dt", { text: String(label) }),
      h("dd", { class: NUMBER_PATTERN.test(String(value)) ? "keep" : "", text: String(value) }),
    ]);
    return [
      h("p", { class: "card-title", text: String(card.title || "") }),
      h("dl", {}, terms),
      ...notes.map((note) => h("p", { class: "card-note" }, [richText(String(note))])),
    ];
  }

  const CLOCK = new Intl.DateTimeFormat("ja-JP", { hour: "2-digit", minute: "2-digit" });
  const DAY_CLOCK = new Intl.DateTimeFormat("ja-JP", {
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

  function timeElement(date) {
    if (Number.isNaN(date.getTime())) return h("span");
    const today = date.toDateString() === new Date().toDateString();
    return h("time", { datetime: date.toISOString(), text: (today ? CLOCK : DAY_CLOCK).format(date) });
  }

  class Unreachable extends Error {}

  /** A JSON request to the gateway; throws Unreachable when it is worth trying again later. */
  async function request(path, init) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const options = { ...init, signal: controller.signal, credentials: "omit", cache: "no-store" };
      const response = await fetch(new URL(path, BASE), options);
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        throw new Unreachable("HTTP " + response.status);
      }
      return { ok: response.ok, body: await response.json() };
    } catch (error) {
      throw error instanceof Unreachable ? error : new Unreachable(String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  async function postChat(sender, text) {
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender_id: sender, text }),
    };
    const { ok, body } = await request("api/chat", init);
    if (ok && Array.isArray(body.messages)) return body.messages;
    return [{ text: (body && body.error && body.error.message) || TEXT.failed, buttons: [] }];
  }

  /** Delete the conversation: whether it went, and what to tell the visitor. */
  async function postForget(sender) {
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender_id: sender }),
    };
    const { ok, body } = await request("api/chat/forget", init);
    const message = ok ? body.messages && body.messages[0] && body.messages[0].text : body && body.error && body.error.message;
    return { ok, message: message || "" };
  }

  /** The conversation so far, and whether a staff member is answering in it now. */
  async function getHistory(sender) {
    const { ok, body } = await request("api/chat/history?sender_id=" + encodeURIComponent(sender));
    if (!ok || !Array.isArray(body.messages)) return { turns: [], staffAnswering: false };
    return { turns: body.messages, staffAnswering: body.staff_answering === true };
  }

  class ChatWidget {
    constructor() {
      this.queue = loadQueue(); // visitor messages not yet answered, oldest first
      this.titles = new Map([HUMAN, ...STARTERS].map((b) => [b.payload, b.title]));
      this.sending = false;
      this.syncing = false;
      this.historyLoaded = false;
      this.historyKey = "";
      this.epoch = 0; // changes whenever a send starts or ends, to drop stale history
      this.failures = 0;
      this.retryTimer = null;
      this.composing = false;
      this.build();
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible" && !this.panel.hidden) this.syncHistory();
      });
      window.addEventListener("online", () => this.retryNow());
    }

    build() {
      this.host = h("div", { id: "chizai-chat-widget" });
      const shadow = this.host.attachShadow({ mode: "open" });
      this.launcher = h(
        "button",
        {
          type: "button",
          class: "launcher",
          "aria-controls": "panel",
          "aria-expanded": "false",
          onclick: () => this.open({ focus: true }),
        },
        [icon(CHAT_ICON), TEXT.launcher],
      );
      this.panel = this.buildPanel();
      shadow.append(h("style", { text: CSS }), h("div", { class: "root", lang: "ja" }, [this.launcher, this.panel]));
      document.body.append(this.host);
    }

    buildPanel() {
      const head = h("div", { class: "head" }, [
        h("h2", { id: "title", class: "title" }, [TEXT.title, (this.subtitle = h("small", { text: TEXT.subtitle }))]),
        h("button", { type: "button", class: "human", onclick: () => this.choose(HUMAN) }, [HUMAN.title]),
        h("button", { type: "button", class: "close", "aria-label": TEXT.close, onclick: () => this.close() }, [
          icon(CLOSE_ICON),
        ]),
      ]);
      this.starters = h(
        "div",
        { class: "choices starters", role: "group", "aria-label": TEXT.startersLabel },
        STARTERS.map((b) => this.choiceButton(b)),
      );
      this.messages = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
      this.scroller = h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": TEXT.logLabel }, [
        h("p", { class: "welcome", text: TEXT.welcome }),
        this.buildNotice(),
        this.starters,
        this.messages,
      ]);
      this.status = h("div", { role: "status" });
      return h(
        "section",
        {
          id: "panel",
          class: "panel",
          role: "dialog",
          "aria-labelledby": "title",
          hidden: true,
          onkeydown: (event) => this.onPanelKey(event),
        },
        [head, this.scroller, this.status, this.buildComposer(), h("p", { id: "hint", class: "hint", text: TEXT.hint })],
      );
    }

    /** The privacy notice: a link to the full notice, and deleting this conversation. */
    buildNotice() {
      const more = h("a", { href: new URL("privacy", BASE).href, target: "_blank", rel: "noopener" }, [
        TEXT.privacyMore,
        h("span", { class: "sr", text: TEXT.newTab }),
      ]);
      this.forgetAsk = h("div", { class: "forget-ask", role: "group", hidden: true }, [
        h("p", { text: TEXT.forgetConfirm }),
        h("button", { type: "button", class: "choice", onclick: () => this.forget() }, [TEXT.forgetYes]),
        h("button", { type: "button", class: "choice", onclick: () => this.askForget(false) }, [TEXT.forgetNo]),
      ]);
      const forget = h("button", { type: "button", class: "link", onclick: () => this.askForget(true) }, [TEXT.forget]);
      return h("div", { class: "notice" }, [
        h("strong", { text: TEXT.privacyTitle }),
        h("p", {}, [TEXT.privacy, " ", more]),
        h("p", { class: "general", text: TEXT.general }),
        forget,
        this.forgetAsk,
      ]);
    }

    askForget(show) {
      this.forgetAsk.hidden = !show;
      if (show) this.forgetAsk.querySelector("button").focus();
    }

    /** Delete this conversation on the server, then start afresh with a new sender id. */
    async forget() {
      const sender = storedSender();
      let said = null;
      if (sender) {
        try {
          said = await postForget(sender);
        } catch (_) {
          said = null;
        }
        if (!said || !said.ok) {
          this.addBot({ text: (said && said.message) || TEXT.failed, buttons: [] }, new Date());
          this.afterChange();
          return;
        }
      }
      local.removeItem(KEYS.sender);
      this.queue = [];
      saveQueue(this.queue);
      this.historyKey = "";
      this.askForget(false);
      this.messages.replaceChildren();
      this.addBot({ text: said ? said.message : TEXT.forgotten, buttons: [] }, new Date());
      this.afterChange();
    }

    buildComposer() {
      this.input = h("textarea", {
        id: "input",
        rows: "1",
        placeholder: TEXT.placeholder,
        "aria-describedby": "hint",
        enterkeyhint: "send",
        onkeydown: (event) => this.onInputKey(event),
        oninput: () => this.onInput(),
        oncompositionstart: () => (this.composing = true),
        oncompositionend: () => (this.composing = false),
      });
      this.input.value = session.getItem(KEYS.draft) || "";
      const submit = (event) => {
        event.preventDefault();
        this.sendTyped();
      };
      return h("form", { class: "composer", onsubmit: submit }, [
        h("label", { class: "sr", for: "input", text: TEXT.inputLabel }),
        this.input,
        h("button", { type: "submit", class: "send", text: TEXT.send }),
      ]);
    }

    open({ focus }) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      session.setItem(KEYS.open, "1");
      this.autosize();
      if (focus) this.input.focus();
      this.scrollDown();
      this.syncHistory();
      this.listen();
    }

    /** Server-sent events while the panel is open: a staff member wrote, so read the history. */
    listen() {
      const sender = storedSender();
      if (this.events || !sender || typeof EventSource === "undefined") return;
      const url = new URL("api/chat/events?sender_id=" + encodeURIComponent(sender), BASE);
      this.events = new EventSource(url);
      this.events.addEventListener("message", () => this.syncHistory());
      this.events.addEventListener("ready", () => this.syncHistory());
      this.events.onerror = () => {
        if (this.events && this.events.readyState === EventSource.CLOSED) {
          this.stopListening();
          setTimeout(() => !this.panel.hidden && this.listen(), 3000);
        }
      };
    }

    stopListening() {
      if (this.events) this.events.close();
      this.events = null;
    }

    close() {
      this.stopListening();
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      session.removeItem(KEYS.open);
      this.launcher.focus();
    }

    onPanelKey(event) {
      if (event.key === "Escape" && !event.isComposing) {
        event.preventDefault();
        this.close();
      }
    }

    /** Enter sends; Shift+Enter is a new line; Enter that confirms an IME conversion does nothing. */
    onInputKey(event) {
      if (event.isComposing || event.keyCode === 229 || this.composing) return;
      if (event.key !== "Enter" || event.shiftKey) return;
      event.preventDefault();
      this.sendTyped();
    }

    onInput() {
      if (this.input.value) session.setItem(KEYS.draft, this.input.value);
      else session.removeItem(KEYS.draft);
      this.autosize();
    }

    autosize() {
      this.input.style.height = "auto";
      this.input.style.height = Math.max(44, Math.min(this.input.scrollHeight + 2, 132)) + "px";
    }

    sendTyped() {
      const text = this.input.value;
      if (!text.trim()) return;
      this.input.value = "";
      this.onInput();
      this.enqueue(text, text);
    }

    choose(button) {
      // A button whose payload is a web address (e.g. 公式ページ) opens it instead of sending it.
      const href = /^https?:\/\//.test(String(button.payload)) ? safeHref(String(button.payload)) : null;
      if (href) {
        window.open(href, "_blank", "noopener,noreferrer");
        return;
      }
      this.enqueue(String(button.payload), String(button.title));
    }

    enqueue(text, label) {
      const item = { text, label, at: new Date().toISOString() };
      this.queue.push(item);
      saveQueue(this.queue);
      item.node = this.addVisitor(label, new Date(item.at), Boolean(this.retryTimer));
      this.afterChange();
      this.pump();
    }

    /** Send queued messages one at a time, in order; on failure keep them and try again later. */
    async pump() {
      if (this.sending || this.retryTimer || !this.historyLoaded || !this.queue.length) return;
      const item = this.queue[0];
      this.sending = true;
      this.epoch += 1;
      const typing = this.showTyping();
      let replies = null;
      try {
        replies = await postChat(senderId(), item.text);
      } catch (_) {
        replies = null;
      }
      typing.remove();
      this.sending = false;
      this.epoch += 1;
      if (!replies) {
        this.queue.forEach((queued) => this.markUnsent(queued.node, true));
        this.scheduleRetry();
        return;
      }
      this.queue.shift();
      saveQueue(this.queue);
      this.markUnsent(item.node, false);
      this.online();
      replies.forEach((reply) => this.addBot(reply, new Date()));
      this.listen();
      this.afterChange();
      this.pump();
    }

    /** Load the conversation from the server (reload, second tab), then send what is queued. */
    async syncHistory() {
      if (this.sending || this.syncing) return;
      const sender = storedSender();
      if (!sender) {
        this.render([]);
        this.pump();
        return;
      }
      this.syncing = true;
      const epoch = this.epoch;
      let history = null;
      try {
        history = await getHistory(sender);
      } catch (_) {
        history = null;
      }
      this.syncing = false;
      if (!history) {
        this.scheduleRetry();
        return;
      }
      this.online();
      this.subtitle.textContent = history.staffAnswering ? TEXT.subtitleLive : TEXT.subtitle;
      if (epoch === this.epoch && !this.sending) this.render(history.turns);
      this.pump();
    }

    render(turns) {
      const last = turns[turns.length - 1];
      const key = turns.length + "|" + (last ? last.created_at : "") + "|" + this.queue.length;
      if (this.historyLoaded && key === this.historyKey) return;
      this.historyKey = key;
      this.historyLoaded = true;
      const focused = this.focusedChoice();
      this.messages.setAttribute("aria-busy", "true");
      this.messages.replaceChildren();
      for (const turn of turns) {
        const at = new Date(turn.created_at);
        if (turn.direction === "bot") this.addBot(turn, at);
        else if (turn.direction === "staff") this.addBot(turn, at, [TEXT.staffName, turn.author].filter(Boolean).join(" "));
        else this.addVisitor(this.titles.get(turn.text) || String(turn.text), at, false);
      }
      for (const item of this.queue) {
        item.node = this.addVisitor(item.label, new Date(item.at), Boolean(this.retryTimer));
      }
      this.messages.removeAttribute("aria-busy");
      this.refocus(focused);
      this.afterChange();
    }

    /** Which button or link of the conversation has the keyboard's focus (its index), if any. */
    focusedChoice() {
      const active = this.host.shadowRoot.activeElement;
      return active && this.messages.contains(active) ? [...this.messages.querySelectorAll("button, a")].indexOf(active) : -1;
    }

    /** A history read again redraws the conversation: the keyboard's focus stays where it was. */
    refocus(index) {
      const again = index >= 0 ? this.messages.querySelectorAll("button, a")[index] : null;
      if (again) again.focus();
    }

    scheduleRetry() {
      if (this.retryTimer) return;
      const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)];
      this.failures += 1;
      this.showOffline();
      this.retryTimer = setTimeout(() => this.resume(), delay * (0.8 + Math.random() * 0.4));
    }

    retryNow() {
      if (!this.retryTimer) return;
      clearTimeout(this.retryTimer);
      this.resume();
    }

    resume() {
      this.retryTimer = null;
      if (this.historyLoaded && this.queue.length) this.pump();
      else this.syncHistory();
    }

    online() {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.failures = 0;
      this.status.replaceChildren();
    }

    showOffline() {
      if (this.status.firstChild) return;
      const retry = h("button", { type: "button", class: "retry", text: TEXT.retryNow, onclick: () => this.retryNow() });
      this.status.append(h("p", { class: "offline" }, [h("span", { text: TEXT.offline }), retry]));
    }

    addVisitor(label, at, unsent) {
      const state = h("span", { class: "state", text: TEXT.unsent });
      const node = h("li", { class: "msg visitor" }, [
        h("span", { class: "sr", text: TEXT.visitorSpeaker }),
        h("div", { class: "bubble", text: label }),
        h("div", { class: "meta" }, [timeElement(at), state]),
      ]);
      this.markUnsent(node, unsent);
      this.messages.append(node);
      return node;
    }

    markUnsent(node, unsent) {
      if (!node) return;
      node.classList.toggle("unsent", unsent);
      node.querySelector(".state").hidden = !unsent;
    }

    addBot(message, at, staffName) {
      const buttons = Array.isArray(message.buttons) ? message.buttons : [];
      buttons.forEach((b) => this.titles.set(String(b.payload), String(b.title)));
      const node = h("li", { class: staffName ? "msg bot staff" : "msg bot" }, [
        h("span", { class: "sr", text: staffName ? TEXT.staffSpeaker : TEXT.botSpeaker }),
      ]);
      if (staffName) node.append(h("div", { class: "author", text: staffName }));
      const card = message.card && typeof message.card === "object" ? message.card : null;
      const content = card ? cardContent(card) : [richText(String(message.text || ""))];
      node.append(h("div", { class: card ? "bubble card" : "bubble" }, content));
      if (buttons.length) {
        const group = { class: "choices", role: "group", "aria-label": TEXT.choicesLabel };
        node.append(h("div", group, buttons.map((b) => this.choiceButton(b))));
      }
      node.append(h("div", { class: "meta" }, [timeElement(at)]));
      this.messages.append(node);
      return node;
    }

    choiceButton(button) {
      const choose = () => this.choose(button);
      return h("button", { type: "button", class: "choice", text: String(button.title), onclick: choose });
    }

    showTyping() {
      const dots = [1, 2, 3].map(() => h("span", { class: "dot", "aria-hidden": "true" }));
      const node = h("li", { class: "msg bot typing" }, [
        h("div", { class: "bubble" }, [h("span", { class: "sr", text: TEXT.typing }), ...dots]),
      ]);
      this.messages.append(node);
      this.scrollDown();
      return node;
    }

    afterChange() {
      this.starters.hidden = this.messages.childElementCount > 0;
      this.scrollDown();
    }

    scrollDown() {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
  }

  function start() {
    const widget = new ChatWidget();
    window.chizaiWidget.open = () => widget.open({ focus: true });
    window.chizaiWidget.close = () => widget.close();
    if (session.getItem(KEYS.open) || widget.queue.length) widget.open({ focus: false });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
