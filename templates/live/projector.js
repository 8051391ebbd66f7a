// The projector page: draws the state (GET /api/state's JSON) as SVG and tables,
// redraws on each server-sent "state" event, and sends a throw for a face's key.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const words = JSON.parse($("words").textContent);
  let state = JSON.parse($("state").textContent);
  const code = document.body.dataset.code; // only on the teacher's screen
  const labels = state.faces.map(String);

  // --- text -------------------------------------------------------------------------
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const plain = (markup) => markup.replace(/<[^>]*>/g, "");
  function fmt(value, digits) {
    if (value === null || value === undefined) return "∞";
    const text = value.toFixed(digits);
    return text.startsWith("-") ? (Number(text) === 0 ? text.slice(1) : "−" + text.slice(1)) : text;
  }
  const count = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, words.thousands);

  // --- SVG helpers ------------------------------------------------------------------
  function add(parent, name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }
  // Catalogue markup (<var>, <sub>, <b>) as SVG text: tspans in italic, lowered, bold.
  function rich(parent, attributes, markup) {
    const node = add(parent, "text", attributes), holder = document.createElement("template");
    holder.innerHTML = markup;
    (function walk(from, into) {
      for (const child of from.childNodes) {
        if (child.nodeType !== 1) { into.appendChild(document.createTextNode(child.textContent)); continue; }
        const tag = child.tagName.toLowerCase(), span = add(into, "tspan", {});
        if (tag === "var") span.setAttribute("font-style", "italic");
        if (tag === "b") span.setAttribute("font-weight", "bold");
        if (tag === "sub") { span.setAttribute("baseline-shift", "sub"); span.setAttribute("font-size", "70%"); }
        walk(child, span);
      }
    })(holder.content, node);
    return node;
  }
  function frame(svg) {
    const w = svg.clientWidth, h = svg.clientHeight;
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.replaceChildren();
    return { w, h, em: parseFloat(getComputedStyle(svg).fontSize) };
  }
  function ticks(lo, hi, wanted) {
    const raw = (hi - lo) / wanted, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(v);
    return { values: out, digits: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
  }
  function yAxis(svg, box, lo, hi, y, digits) {
    const t = ticks(lo, hi, 4);
    for (const v of t.values) {
      add(svg, "line", { class: "grid", x1: box.l, x2: box.w - box.r, y1: y(v), y2: y(v) });
      add(svg, "text", { class: "tick", x: box.l - 0.3 * box.em, y: y(v), "text-anchor": "end",
        "dominant-baseline": "middle" }, fmt(v, digits === undefined ? t.digits : digits));
    }
    add(svg, "line", { class: "axis", x1: box.l, x2: box.l, y1: box.t, y2: box.h - box.b });
    add(svg, "line", { class: "axis", x1: box.l, x2: box.w - box.r, y1: box.h - box.b, y2: box.h - box.b });
  }

  // --- the bars: frequencies, their intervals, the model; nₖ and ŷₖ under each bar ------
  function tableRows(s, slot, wide) {
    const t = words.table, rows = [];
    if (slot >= 0.7 * wide) rows.push([t.count, s.counts.map(count)]);
    if (slot >= wide) {
      rows.push([t.mle, s.mle ? s.mle.map((v) => fmt(v, 3)) : labels.map(() => "–")]);
      if (!words.fair) rows.push([t.model, s.model.map((v) => fmt(v, 3))]);
    }
    return rows;
  }
  function drawBars(s) {
    const svg = $("bars"), size = frame(svg), em = size.em, k = labels.length;
    const heads = [words.table.face, words.table.count, words.table.mle, words.table.model];
    const widths = heads.map((m) => rich(svg, { class: "row-head" }, m).getComputedTextLength());
    const wide = add(svg, "text", { class: "row" }, "0.000").getComputedTextLength() + 0.5 * em;
    const label = Math.max(...labels.map((l) => add(svg, "text", { class: "face-label" }, l)
      .getComputedTextLength())) + 0.5 * em;
    svg.replaceChildren();
    const l = Math.max(3.2 * em, Math.max(...widths) + 0.8 * em);
    const rows = tableRows(s, (size.w - l - 0.5 * em) / k, wide);
    const line = 1.45 * em;
    const box = { ...size, l, r: 0.5 * em, t: 0.6 * em, b: 1.8 * em + rows.length * line };
    const freq = s.mle || labels.map(() => 0);
    const high = s.interval ? s.interval.high : freq;
    const top = Math.min(1, Math.max(...high, ...s.model) * 1.12) || 1;
    const slot = (box.w - box.l - box.r) / k;
    const x = (i) => box.l + (i + 0.5) * slot;
    const y = (v) => box.t + (1 - v / top) * (box.h - box.t - box.b);
    const latest = s.latest ? s.latest.index : -1;
    if (latest >= 0 && rows.length)
      add(svg, "rect", { class: "column", x: x(latest) - 0.5 * slot, y: y(0) + 0.25 * em,
        width: slot, height: box.b - 0.25 * em });
    yAxis(svg, box, 0, top, y, 2);
    const every = Math.max(Math.ceil(k / 30), Math.ceil(label / slot)), base = y(0) + 1.25 * em;
    rich(svg, { class: "row-head", x: 0, y: base }, words.table.face);
    rows.forEach(([head], r) => rich(svg, { class: "row-head", x: 0, y: base + (r + 1) * line }, head));
    freq.forEach((f, i) => {
      add(svg, "rect", { class: i === latest ? "bar latest" : "bar", x: x(i) - 0.35 * slot,
        y: y(f), width: 0.7 * slot, height: y(0) - y(f) });
      if (i % every === 0)
        add(svg, "text", { class: "face-label", x: x(i), y: base, "text-anchor": "middle" }, labels[i]);
      rows.forEach(([, values], r) =>
        add(svg, "text", { class: "row", x: x(i), y: base + (r + 1) * line, "text-anchor": "middle" },
          values[i]));
    });
    if (s.interval) {
      const cap = Math.min(0.4 * em, 0.2 * slot);
      s.interval.low.forEach((low, i) => {
        const hi = s.interval.high[i];
        add(svg, "line", { class: "interval", x1: x(i), x2: x(i), y1: y(low), y2: y(hi) });
        for (const v of [low, hi])
          add(svg, "line", { class: "interval", x1: x(i) - cap, x2: x(i) + cap, y1: y(v), y2: y(v) });
      });
    }
    if (words.fair) {
      add(svg, "line", { class: "model", x1: box.l, x2: box.w - box.r, y1: y(s.model[0]), y2: y(s.model[0]) });
    } else {
      s.model.forEach((v, i) =>
        add(svg, "line", { class: "model", x1: x(i) - 0.45 * slot, x2: x(i) + 0.45 * slot, y1: y(v), y2: y(v) }));
    }
  }

  // --- the running means: under the model, under ŷ (the entropy), the gap (KL) ---------
  function drawRunning(s) {
    const svg = $("running"), size = frame(svg), em = size.em;
    const box = { ...size, l: 3.6 * em, r: 1.2 * em, t: 1.3 * em, b: 2.9 * em };
    const pts = s.running, n = s.n, log = n > 100;
    const values = pts.flatMap((p) => [p[1], p[2]]).filter((v) => v !== null);
    let lo = values.length ? Math.min(...values) : 0, hi = values.length ? Math.max(...values) : 2;
    const span = hi - lo || 1;
    lo = Math.max(0, lo - 0.06 * span);
    hi = hi + 0.1 * span;
    const x0 = log ? Math.max(0.8, pts[0][0] * 0.8) : 0;
    const x1 = log ? n * 1.25 : Math.max(n, 5) + Math.max(1, 0.02 * n);
    const sx = (m) => (log ? Math.log(m / x0) / Math.log(x1 / x0) : (m - x0) / (x1 - x0));
    const x = (m) => box.l + sx(m) * (box.w - box.l - box.r);
    const y = (v) => box.t + (1 - (v - lo) / (hi - lo)) * (box.h - box.t - box.b);
    yAxis(svg, box, lo, hi, y);
    const xt = log ? [1, 10, 100, 1000, 10000, 100000, 1000000].filter((m) => m >= x0 && m <= x1)
      : ticks(0, x1, 5).values.filter((m) => Number.isInteger(m));
    for (const m of xt)
      add(svg, "text", { class: "tick", x: x(m), y: box.h - box.b + 0.35 * em, "text-anchor": "middle",
        "dominant-baseline": "hanging" }, count(m));
    add(svg, "text", { class: "label", x: box.w - box.r, y: box.h - 0.2 * em, "text-anchor": "end" },
      plain(log ? words.running.x_log : words.running.x));
    add(svg, "text", { class: "label", x: box.l - 3.2 * em, y: 0.8 * em }, plain(words.unit));
    if (!pts.length) return;
    const finite = pts.filter((p) => p[2] !== null);
    if (finite.length) {
      const upper = finite.map((p) => `${x(p[0])},${y(p[2])}`);
      const lower = finite.map((p) => `${x(p[0])},${y(p[1])}`).reverse();
      add(svg, "polygon", { class: "gap", points: upper.concat(lower).join(" ") });
      add(svg, "polyline", { class: "model", points: upper.join(" ") });
    }
    add(svg, "polyline", { class: "entropy", points: pts.map((p) => `${x(p[0])},${y(p[1])}`).join(" ") });
    if (n <= 100) for (const p of pts) add(svg, "circle", { class: "dot", cx: x(p[0]), cy: y(p[1]), r: 0.22 * em });
  }

  // --- (4.3) for the latest throw, under the model and under ŷ ------------------------
  function drawLatest(s) {
    const box = $("latest"), w = words.latest;
    if (!s.latest) {
      box.innerHTML = `<p>${fill(w.waiting, { keys: esc(words.keys) })}</p>`;
      return;
    }
    const i = s.latest.index, k = i + 1, e = s.latest.cross_entropy, K = labels.length;
    const t = K <= 12 ? "(" + labels.map((_, j) => (j === i ? "<b>1</b>" : "0")).join(", ") + ")"
      : `(…, <var>t</var><sub>${k}</sub> = 1, …)`;
    const y = words.fair ? `1/${K}` : fmt(s.model[i], 4);
    const line = (head, symbol, value, result) =>
      `<tr><th>${head}</th><td><var>E</var> = −log <var>${symbol}</var><sub>${k}</sub> = −log ${value}` +
      ` = <span class="result">${fmt(result, 3)}</span></td></tr>`;
    box.innerHTML = `<p>${fill(w.face, { face: `<b>${esc(labels[i])}</b>`, t })}</p><table>` +
      line(w.under_model, "y", y, e.model) +
      line(w.under_mle, "ŷ", `${s.counts[i]}/${count(s.n)}`, e.mle) + "</table>";
  }

  function drawNow(s) {
    const c = s.cross_entropy_mean;
    $("now").innerHTML = s.n ? fill(words.running.now, { n: count(s.n), model: fmt(c.model, 3),
      mle: fmt(c.mle, 3), kl: fmt(s.kl_divergence, 3), unit: plain(words.unit) }) : "";
  }

  function render() {
    $("n").textContent = count(state.n);
    drawBars(state);
    drawRunning(state);
    drawLatest(state);
    drawNow(state);
  }

  function update(next) {
    if (next.n < state.n) return; // an older state, overtaken
    const grew = next.n > state.n;
    state = next;
    render();
    if (grew) {
      $("n").classList.add("flash");
      setTimeout(() => $("n").classList.remove("flash"), 150);
    }
  }

  // --- throws from the keyboard ---------------------------------------------------------
  let typed = "", timer = null, toastTimer = null;
  function toast(text) {
    $("toast").textContent = text;
    $("toast").hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => ($("toast").hidden = true), 1500);
  }
  const match = (text) => labels.find((l) => l === text) ??
    labels.find((l) => l.toLowerCase() === text.toLowerCase());
  async function send(face) {
    try {
      const answer = await fetch("/api/throws", { method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ face, code, client: "projector", source: "key" }) });
      const body = await answer.json();
      if (answer.status === 201) update(body); else toast(body.error || String(answer.status));
    } catch (error) {
      toast(plain(words.offline));
    }
  }
  function commit() {
    clearTimeout(timer);
    const face = match(typed);
    typed = "";
    if (face !== undefined) send(face);
  }
  document.addEventListener("keydown", (event) => {
    if (!code || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.key === "Enter") return commit();
    if (event.key.length !== 1) return;
    typed += event.key;
    clearTimeout(timer);
    const lower = typed.toLowerCase();
    const longer = labels.some((l) => l.length > typed.length && l.toLowerCase().startsWith(lower));
    if (!longer) commit(); // the key finishes a label, or matches none
    else timer = setTimeout(commit, 800); // "1" of a d20 may be the start of "12"
  });

  // --- the server's events ------------------------------------------------------------
  const events = new EventSource("/api/events");
  events.addEventListener("state", (event) => update(JSON.parse(event.data)));
  events.onopen = () => ($("status").hidden = true);
  events.onerror = () => ($("status").hidden = false);
  window.addEventListener("resize", render);
  render();
})();
