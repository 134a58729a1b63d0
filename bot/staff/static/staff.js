// Staff dashboard: ask before steps that cannot be undone (forms with data-confirm), and
// keep a double click from sending a form twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() === "post") {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // A page left open (back/forward cache) can send again.
    window.addEventListener("pageshow", () => delete form.dataset.sent, { once: true });
  }
});

// Pages with a [data-poll] element (the escalation list, an escalation) reload their [data-live]
// parts, and the tab title with its count, when the server's version of them changes. Forms are
// outside those parts, so what a staff member is typing is never lost.
const POLL_MS = 10000;
const poller = document.querySelector("[data-poll]");

async function refreshLiveParts() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  document.querySelectorAll("[data-live]").forEach((part) => {
    const replacement = fresh.getElementById(part.id);
    if (replacement) part.replaceWith(document.adoptNode(replacement));
  });
  document.title = fresh.title;
  const status = document.getElementById("live-status");
  if (status) status.textContent = "一覧を更新しました。";
}

async function poll() {
  try {
    const response = await fetch(poller.dataset.poll, { headers: { Accept: "application/json" } });
    if (response.ok) {
      const { version } = await response.json();
      if (version !== poller.dataset.version) {
        await refreshLiveParts();
        poller.dataset.version = version;
      }
    }
  } catch (error) {
    // Offline for a moment: try again at the next tick.
  }
  window.setTimeout(poll, document.hidden ? POLL_MS * 3 : POLL_MS);
}

if (poller) window.setTimeout(poll, POLL_MS);
