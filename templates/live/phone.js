// The phone page: one button a face; a tap sends one throw with the class code and this
// phone's id (made once, kept in localStorage), and says whether it was recorded.
"use strict";
(function () {
  const words = JSON.parse(document.getElementById("words").textContent);
  const code = document.body.dataset.code;
  const result = document.getElementById("result");
  const mine = document.getElementById("mine");
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");

  function clientId() {
    let id = null;
    try { id = localStorage.getItem("reportgen-live-client"); } catch (error) { /* private mode */ }
    if (!id) {
      // crypto.randomUUID needs https; getRandomValues works on the room's plain http too.
      id = Array.from(crypto.getRandomValues(new Uint8Array(12)),
        (b) => b.toString(16).padStart(2, "0")).join("");
      try { localStorage.setItem("reportgen-live-client", id); } catch (error) { /* kept for now */ }
    }
    return id;
  }
  const client = clientId();
  let sent = 0;

  function show(html, error) {
    result.innerHTML = html;
    result.classList.toggle("error", error);
  }
  async function send(face) {
    try {
      const answer = await fetch("/api/throws", { method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ face, code, client, source: "phone" }) });
      const body = await answer.json();
      if (answer.status !== 201) return show(esc(body.error || answer.status), true);
      sent += 1;
      show(fill(words.phone.sent, { face: esc(face) }), false);
      mine.innerHTML = fill(words.phone.mine, { n: sent }) + " · " + fill(words.phone.class, { n: body.n });
      if (navigator.vibrate) navigator.vibrate(30);
    } catch (error) {
      show(words.offline, true);
    }
  }
  for (const button of document.querySelectorAll("button.face")) {
    button.addEventListener("click", () => send(button.dataset.face));
  }
})();
