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
