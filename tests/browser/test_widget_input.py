"""Typing Japanese: Enter that confirms an IME conversion never sends; Shift+Enter is a new line."""

from playwright.sync_api import expect

# Enter as Chromium reports it while an IME is composing: isComposing, or the legacy keyCode 229.
COMPOSING_ENTER = """(textarea, how) => {
  const event = new KeyboardEvent("keydown", {
    key: "Enter", code: "Enter", bubbles: true, cancelable: true, composed: true,
    isComposing: how === "isComposing",
  });
  if (how === "keyCode") Object.defineProperty(event, "keyCode", { get: () => 229 });
  if (how === "composition") textarea.dispatchEvent(new CompositionEvent("compositionstart", { data: "" }));
  textarea.dispatchEvent(event);
  if (how === "composition") textarea.dispatchEvent(new CompositionEvent("compositionend", { data: "特許" }));
  return event.defaultPrevented;
}"""


def test_enter_during_ime_composition_does_not_send(widget):
    posts = []
    widget.page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    widget.open()
    widget.input.fill("とっきょ")

    for how in ("isComposing", "keyCode", "composition"):
        assert widget.input.evaluate(COMPOSING_ENTER, how) is False, how

    widget.page.wait_for_timeout(1000)
    expect(widget.input).to_have_value("とっきょ")
    expect(widget.visitor).to_have_count(0)
    assert posts == []


def test_shift_enter_adds_a_line_and_enter_sends_the_whole_message(widget):
    widget.open()
    widget.input.fill("特許の")
    widget.input.press("Shift+Enter")
    widget.input.press_sequentially("存続期間は？")

    expect(widget.input).to_have_value("特許の\n存続期間は？")
    expect(widget.visitor).to_have_count(0)
    widget.input.press("Enter")

    expect(widget.visitor).to_have_text(["特許の\n存続期間は？"])
    widget.expect_bot_reply(1, "起算して20年")
