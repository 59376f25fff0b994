// Polybius dashboard. No libraries, no network beyond this server's /api/v1.
// Article text and every value from the API is put on the page with textContent or as SVG
// attributes, never as HTML, so a story containing markup shows that markup as text.
"use strict";

const API = "/api/v1";
const SVG = "http://www.w3.org/2000/svg";
const QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const COOP = "#2b7bba", CONF = "#d7301f";

// ------------------------------------------------------------------ DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return el;
}

const view = () => document.getElementById("view");

function setView(...nodes) {
  const v = view();
  v.replaceChildren(...nodes);
}

function setTwin(url) {
  const a = document.getElementById("json-twin");
  a.setAttribute("href", url);
  a.textContent = "JSON";
  a.title = "The API call this page renders: " + url;
}

async function getJSON(url) {
  const res = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body && body.error ? body.error : {code: "E000", message: res.statusText, status: res.status};
    throw err;
  }
  return body;
}

function showError(err) {
  setView(h("div", {class: "error"}, h("strong", {}, err.code || "Error"), " ", err.message || String(err)));
}

function who(a) {
  if (!a) return "–";
  const code = a.code || a.country || "?";
  return (a.name || a.text || "?") + " (" + code + ")";
}

function fmt(v, digits) {
  if (v === null || v === undefined) return "–";
  return typeof v === "number" ? v.toFixed(digits === undefined ? 2 : digits) : String(v);
}

// ------------------------------------------------------------------ routing and filters

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = (path || "events").split("/").map(decodeURIComponent);
  return {name: parts[0] || "events", arg: parts[1] || null, params: new URLSearchParams(query || "")};
}

function filterParams() {
  const form = document.getElementById("filters");
  const p = new URLSearchParams();
  for (const el of form.elements) {
    if (el.name && el.value.trim()) p.set(el.name, el.value.trim().toUpperCase().replace(/^(\d{4}-\d{2}-\d{2})$/, "$1"));
  }
  // dates must keep their case-free ISO form
  for (const k of ["from", "to"]) if (form.elements[k].value) p.set(k, form.elements[k].value);
  return p;
}

function loadFiltersFrom(params) {
  const form = document.getElementById("filters");
  for (const el of form.elements) if (el.name) el.value = params.get(el.name) || "";
}

function go(name, params, arg) {
  const q = params && params.toString() ? "?" + params.toString() : "";
  location.hash = "#/" + name + (arg ? "/" + encodeURIComponent(arg) : "") + q;
}

function markNav(name) {
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.view === name);
}

async function route() {
  const {name, arg, params} = parseHash();
  markNav(name);
  loadFiltersFrom(params);
  document.getElementById("filters").hidden = (name === "article");
  try {
    if (name === "article" && arg) await articleView(arg);
    else if (name === "timeline") await timelineView(params);
    else if (name === "map") await mapView(params);
    else if (name === "dyad") await dyadView(params);
    else await eventsView(params);
  } catch (err) {
    showError(err);
  }
}

// ------------------------------------------------------------------ events table

async function eventsView(params) {
  const q = new URLSearchParams(params);
  q.set("limit", "50");
  const url = API + "/events?" + q.toString();
  setTwin(url);
  const data = await getJSON(url);
  const tbody = h("tbody", {});
  const table = h("table", {class: "events", id: "events-table"},
    h("thead", {}, h("tr", {}, ["date", "actor", "recipient", "PLOVER", "CAMEO", "quad", "where", "evidence", "source"].map(t => h("th", {}, t)))),
    tbody);
  const more = h("button", {type: "button", class: "more"}, "Load more");
  const count = h("span", {class: "muted"});
  let shown = 0;

  function add(events) {
    for (const e of events) {
      const loc = e.location ? e.location.name + ", " + (e.location.country || "?") : "–";
      const ev = e.evidence || {};
      const row = h("tr", {class: "q" + e.quad_class, tabindex: "0", title: "Open the article"},
        h("td", {class: "nowrap"}, e.date || "?"),
        h("td", {}, who(e.actor)),
        h("td", {}, who(e.recipient)),
        h("td", {}, h("span", {class: "tag q" + e.quad_class}, e.plover)),
        h("td", {class: "mono"}, e.cameo),
        h("td", {title: QUADS[e.quad_class] || ""}, String(e.quad_class)),
        h("td", {}, loc),
        h("td", {class: "evidence"}, snippet(ev)),
        h("td", {class: "muted"}, (e.article && e.article.source) || ""));
      const open = () => go("article", null, e.article_id);
      row.addEventListener("click", open);
      row.addEventListener("keydown", k => { if (k.key === "Enter") open(); });
      tbody.appendChild(row);
      shown += 1;
    }
    count.textContent = shown + " event" + (shown === 1 ? "" : "s") + " shown";
  }

  let next = data.next;
  add(data.events);
  more.hidden = !next;
  more.addEventListener("click", async () => {
    const q2 = new URLSearchParams(q);
    q2.set("after", next);
    const page = await getJSON(API + "/events?" + q2.toString());
    add(page.events);
    next = page.next;
    more.hidden = !next;
  });
  const empty = data.events.length ? null : h("p", {class: "muted"}, "No events match these filters.");
  setView(h("h1", {}, "Events"), h("p", {class: "muted"}, "Newest first. Click a row to see the article, with the evidence sentence and the trigger highlighted."),
    table, empty, h("div", {class: "pager"}, count, " ", more));
}

function snippet(ev) {
  // The sentence with its trigger in bold, built from offsets (sentence-relative).
  const text = ev.text || "";
  const start = (ev.trigger_start >= 0 && ev.start >= 0) ? ev.trigger_start - ev.start : -1;
  const end = start >= 0 ? ev.trigger_end - ev.start : -1;
  if (start < 0 || end > text.length || end <= start) return h("span", {}, text);
  return h("span", {}, text.slice(0, start), h("b", {class: "trigger"}, text.slice(start, end)), text.slice(end));
}

// ------------------------------------------------------------------ article view

async function articleView(id) {
  const url = API + "/articles/" + encodeURIComponent(id);
  setTwin(url);
  const data = await getJSON(url);
  const art = data.article;
  const text = art.text || "";
  // Cut the text at every sentence and trigger boundary; each piece knows what covers it.
  const cuts = new Set([0, text.length]);
  data.spans.forEach(sp => { sp.sentence.forEach(x => cuts.add(x)); if (sp.trigger[0] >= 0) sp.trigger.forEach(x => cuts.add(x)); });
  const points = [...cuts].filter(x => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const body = h("div", {class: "article-text", id: "article-text"});
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const inSentence = data.spans.filter(sp => sp.sentence[0] <= a && b <= sp.sentence[1]);
    const inTrigger = data.spans.some(sp => sp.trigger[0] >= 0 && sp.trigger[0] <= a && b <= sp.trigger[1]);
    let node = document.createTextNode(piece);
    if (inTrigger) node = h("b", {class: "trigger"}, node);
    if (inSentence.length) node = h("mark", {class: "evidence", title: inSentence.map(sp => sp.event_id).join(" ")}, node);
    body.appendChild(node);
  }
  const meta = h("p", {class: "muted"},
    [art.source, art.published, art.author].filter(Boolean).join(" · "),
    art.url ? [" · ", h("a", {href: art.url, rel: "noopener noreferrer"}, "original")] : null);
  const evs = h("table", {class: "events"},
    h("thead", {}, h("tr", {}, ["date", "actor", "recipient", "PLOVER", "CAMEO", "where", "trigger", "confidence"].map(t => h("th", {}, t)))),
    h("tbody", {}, data.events.map(e => h("tr", {class: "q" + e.quad_class},
      h("td", {}, e.date || "?"), h("td", {}, who(e.actor)), h("td", {}, who(e.recipient)),
      h("td", {}, h("span", {class: "tag q" + e.quad_class}, e.plover)), h("td", {class: "mono"}, e.cameo),
      h("td", {}, e.location ? e.location.name : "–"),
      h("td", {}, (e.evidence || {}).trigger || ""), h("td", {}, fmt(e.confidence))))));
  setView(h("p", {}, h("a", {href: "#/events"}, "← events")),
    h("h1", {}, art.title || art.id), meta, body,
    h("h2", {}, data.events.length + " event" + (data.events.length === 1 ? "" : "s") + " coded from this article"), evs);
}

// ------------------------------------------------------------------ charts

function lineChart({series, width = 960, height = 300, title, byLabel}) {
  // series: [{period, cooperation, conflict, net}] -> SVG with two lines and a net strip.
  const m = {l: 52, r: 40, t: 28, b: 70};
  const plotH = height - m.t - m.b;
  const netH = 46;
  const svg = s("svg", {viewBox: `0 0 ${width} ${height + netH}`, class: "chart", role: "img", "aria-label": title});
  svg.appendChild(s("title", {}, title));
  if (!series.length) {
    svg.appendChild(s("text", {x: width / 2, y: height / 2, "text-anchor": "middle", class: "muted-text"}, "no events"));
    return svg;
  }
  const n = series.length;
  const maxY = Math.max(1, ...series.map(r => Math.max(r.cooperation, r.conflict)));
  const x = i => m.l + (n === 1 ? (width - m.l - m.r) / 2 : i * (width - m.l - m.r) / (n - 1));
  const y = v => m.t + plotH - v / maxY * plotH;
  // grid and y ticks
  const ticks = niceTicks(maxY);
  for (const t of ticks) {
    svg.appendChild(s("line", {x1: m.l, x2: width - m.r, y1: y(t), y2: y(t), class: "grid"}));
    svg.appendChild(s("text", {x: m.l - 6, y: y(t) + 4, "text-anchor": "end", class: "tick"}, t));
  }
  svg.appendChild(s("text", {x: 14, y: m.t + plotH / 2, transform: `rotate(-90 14 ${m.t + plotH / 2})`, "text-anchor": "middle", class: "axis-label"}, "real events per " + byLabel));
  // x labels: at most ~12, always the last period; a regular label too close to the last
  // one gives way to it (they overlapped on a 20-month range)
  const every = Math.max(1, Math.ceil(n / 12));
  const marks = new Set();
  for (let i = 0; i < n; i += every) marks.add(i);
  const lastMark = Math.floor((n - 1) / every) * every;
  if (lastMark !== n - 1) {
    if (lastMark > 0 && (n - 1) - lastMark <= every / 2) marks.delete(lastMark);
    marks.add(n - 1);
  }
  series.forEach((r, i) => {
    if (marks.has(i)) {
      svg.appendChild(s("text", {x: x(i), y: m.t + plotH + 16, "text-anchor": "middle", class: "tick"}, shortPeriod(r.period, byLabel)));
    }
  });
  svg.appendChild(s("text", {x: (m.l + width - m.r) / 2, y: m.t + plotH + 34, "text-anchor": "middle", class: "axis-label"}, byLabel));
  for (const [key, colour] of [["cooperation", COOP], ["conflict", CONF]]) {
    const pts = series.map((r, i) => `${x(i).toFixed(1)},${y(r[key]).toFixed(1)}`);
    const area = `M${x(0)},${y(0)} L` + pts.join(" L") + ` L${x(n - 1)},${y(0)} Z`;
    svg.appendChild(s("path", {d: area, fill: colour, "fill-opacity": 0.12, stroke: "none"}));
    // conflict is dashed so that equal counts (lines on top of each other) stay visible
    svg.appendChild(s("polyline", {points: pts.join(" "), fill: "none", stroke: colour, "stroke-width": 2.2,
      "stroke-dasharray": key === "conflict" ? "7 4" : null, class: "series-" + key}));
    series.forEach((r, i) => svg.appendChild(s("circle", {cx: x(i), cy: y(r[key]), r: 2.6, fill: colour},
      s("title", {}, `${r.period}: ${r[key]} ${key} event${r[key] === 1 ? "" : "s"}`))));
  }
  // legend
  const lg = s("g", {transform: `translate(${m.l + 10},${m.t - 12})`});
  lg.appendChild(s("rect", {x: 0, y: -8, width: 14, height: 4, fill: COOP}));
  lg.appendChild(s("text", {x: 20, y: -3, class: "legend"}, "cooperation (quad 1–2)"));
  lg.appendChild(s("line", {x1: 190, x2: 204, y1: -6, y2: -6, stroke: CONF, "stroke-width": 3, "stroke-dasharray": "5 2"}));
  lg.appendChild(s("text", {x: 210, y: -3, class: "legend"}, "conflict (quad 3–4)"));
  svg.appendChild(lg);
  // net index strip
  const top = height - 14, mid = top + netH / 2;
  svg.appendChild(s("text", {x: m.l - 22, y: mid + 4, "text-anchor": "end", class: "tick"}, "net"));
  svg.appendChild(s("line", {x1: m.l, x2: width - m.r, y1: mid, y2: mid, class: "axis"}));
  const bw = Math.max(2, Math.min(28, (width - m.l - m.r) / n * 0.7));
  series.forEach((r, i) => {
    if (r.net === null || r.net === undefined) return;
    const hgt = Math.max(1, Math.abs(r.net) * (netH / 2 - 2));
    svg.appendChild(s("rect", {x: x(i) - bw / 2, y: r.net >= 0 ? mid - hgt : mid, width: bw, height: hgt,
      fill: r.net >= 0 ? COOP : CONF}, s("title", {}, `${r.period}: net ${r.net.toFixed(2)}`)));
  });
  svg.appendChild(s("text", {x: width - m.r, y: top + netH + 10, "text-anchor": "end", class: "tick"},
    "net = (cooperation − conflict) / (cooperation + conflict)"));
  return svg;
}

function niceTicks(max) {
  // about five ticks at 1, 2 or 5 times a power of ten
  const raw = max / 5, mag = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  const step = Math.max(1, [1, 2, 5, 10].map(k => k * mag).find(v => v >= raw) || mag * 10);
  const out = [];
  for (let t = 0; t <= max; t += step) out.push(t);
  return out;
}

function shortPeriod(p, by) {
  if (by === "year") return p.slice(0, 4);
  if (by === "month") return p.slice(0, 7);
  if (by === "quarter") return p.slice(0, 4) + " Q" + (Math.floor((+p.slice(5, 7) - 1) / 3) + 1);
  return p;
}

// ------------------------------------------------------------------ timeline

async function timelineView(params) {
  const q = new URLSearchParams(params);
  const by = q.get("by") || "month";
  q.set("by", by);
  const url = API + "/timeline?" + q.toString();
  setTwin(url);
  const data = await getJSON(url);
  const picker = periodPicker(by, b => { const p = new URLSearchParams(params); p.set("by", b); go("timeline", p); });
  const total = data.series.reduce((acc, r) => [acc[0] + r.cooperation, acc[1] + r.conflict], [0, 0]);
  setView(h("h1", {}, "Cooperation vs conflict, by " + by),
    h("p", {class: "muted"}, `${total[0]} cooperative and ${total[1]} conflictual real events (dedup clusters) in the selection.`),
    picker, h("div", {id: "timeline-chart"}, lineChart({series: data.series, title: "Cooperation vs conflict, by " + by, byLabel: by})));
}

function periodPicker(current, onPick) {
  return h("div", {class: "picker"}, "by ", ["week", "month", "quarter", "year"].map(b =>
    h("button", {type: "button", class: b === current ? "on" : "", onclick: () => onPick(b)}, b)));
}

// ------------------------------------------------------------------ map

let landCache = null;

async function mapView(params) {
  const url = API + "/places?" + new URLSearchParams(params).toString();
  setTwin(url);
  const [data, land] = await Promise.all([getJSON(url), landCache || getJSON(API + "/map/land")]);
  landCache = land;
  const W = 1000, H = 500, north = 84, south = -58;  // crop the empty polar rows
  const px = lon => (lon + 180) / 360 * W, py = lat => (90 - lat) / 180 * H;
  const svg = s("svg", {viewBox: `0 ${py(north).toFixed(1)} ${W} ${(py(south) - py(north)).toFixed(1)}`, class: "map", id: "world-map", role: "img", "aria-label": "World map of event places"});
  svg.appendChild(s("rect", {x: 0, y: 0, width: W, height: H, class: "sea"}));
  const cw = W / land.cols, ch = H / land.rows;
  const g = s("g", {class: "land"});
  for (const [c, r] of land.cells) g.appendChild(s("rect", {x: (c * cw).toFixed(2), y: (r * ch).toFixed(2), width: (cw * 0.86).toFixed(2), height: (ch * 0.86).toFixed(2), rx: 1}));
  svg.appendChild(g);
  for (const lat of [-60, -30, 0, 30, 60]) svg.appendChild(s("line", {x1: 0, x2: W, y1: py(lat), y2: py(lat), class: lat === 0 ? "equator" : "graticule"}));
  const maxE = Math.max(1, ...data.places.map(p => p.events));
  const markers = s("g", {class: "markers"});
  for (const p of data.places) {
    const share = p.cooperation + p.conflict ? p.conflict / (p.cooperation + p.conflict) : 0.5;
    const r = 3 + 14 * Math.sqrt(p.events / maxE);
    const c = s("circle", {cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1), r: r.toFixed(1), fill: mix(share), class: "marker"},
      s("title", {}, `${p.name}, ${p.country}: ${p.events} events (${p.cooperation} cooperation, ${p.conflict} conflict)`));
    c.addEventListener("click", () => { const q = new URLSearchParams(); if (p.country) q.set("country", p.country); go("events", q); });
    markers.appendChild(c);
  }
  svg.appendChild(markers);
  const legend = h("p", {class: "muted"}, "Circle area: real events at the place. Colour: ",
    h("span", {class: "swatch coop"}), " all cooperation … ", h("span", {class: "swatch conf"}), " all conflict. Click a circle for its country's events. Land drawn from GeoNames places (a coarse grid).");
  const list = h("table", {class: "events compact"}, h("thead", {}, h("tr", {}, ["place", "country", "events", "coop", "conflict"].map(t => h("th", {}, t)))),
    h("tbody", {}, data.places.slice(0, 12).map(p => h("tr", {}, h("td", {}, p.name), h("td", {}, p.country || ""), h("td", {}, p.events), h("td", {}, p.cooperation), h("td", {}, p.conflict)))));
  setView(h("h1", {}, "Where events happened"), legend, svg, h("h2", {}, "Busiest places"), list);
}

function mix(t) {
  // blue (cooperation) to red (conflict) through grey
  const a = [43, 123, 186], b = [215, 48, 31], m = [150, 150, 150];
  const [from, to, u] = t < 0.5 ? [a, m, t * 2] : [m, b, (t - 0.5) * 2];
  return "rgb(" + from.map((v, i) => Math.round(v + (to[i] - v) * u)).join(",") + ")";
}

// ------------------------------------------------------------------ dyad

async function dyadView(params) {
  const a = (params.get("a") || "").trim();
  const b = (params.get("b") || "").trim();
  const by = params.get("by") || "month";
  const form = h("form", {class: "dyad-form", id: "dyad-form"},
    h("label", {}, "A ", h("input", {name: "a", value: a || "AZE", size: 10, placeholder: "AZE or AZEMIL"})),
    h("label", {}, "B ", h("input", {name: "b", value: b || "IRN", size: 10, placeholder: "IRN"})),
    h("label", {}, "by ", h("select", {name: "by"}, ["day", "week", "month", "quarter", "year"].map(x => {
      const o = h("option", {value: x}, x); if (x === by) o.selected = true; return o; }))),
    h("button", {type: "submit"}, "Show"));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const p = new URLSearchParams(params);
    for (const k of ["a", "b", "by"]) p.set(k, form.elements[k].value.trim());
    go("dyad", p);
  });
  const topUrl = API + "/top?by=dyad&limit=8";
  if (!a || !b) {
    setTwin(topUrl);
    const top = await getJSON(topUrl);
    const first = top.rows[0];
    if (first) {
      const [x, y] = first.key.split("-");
      const p = new URLSearchParams(params); p.set("a", x); p.set("b", y); p.set("by", by);
      history.replaceState(null, "", "#/dyad?" + p.toString());
      return dyadView(p);
    }
    setView(h("h1", {}, "Dyad"), form, h("p", {class: "muted"}, "No events stored yet."));
    return;
  }
  const q = new URLSearchParams({a, b, by});
  for (const k of ["from", "to"]) if (params.get(k)) q.set(k, params.get(k));
  const url = API + "/relations?" + q.toString();
  setTwin(url);
  const [data, top] = await Promise.all([getJSON(url), getJSON(topUrl)]);
  const series = data.series.filter(r => r.direction === "both");
  const title = data.title + ", cooperation vs conflict";
  const labels = {both: "both directions", a_b: `${data.a.label} → ${data.b.label}`, b_a: `${data.b.label} → ${data.a.label}`};
  const totals = h("table", {class: "events compact", id: "dyad-totals"},
    h("thead", {}, h("tr", {}, ["", "events", "mentions", "coop", "conflict", "Goldstein sum", "Goldstein mean", "net"].map(t => h("th", {}, t)))),
    h("tbody", {}, ["both", "a_b", "b_a"].map(d => { const t = data.totals[d]; return h("tr", {},
      h("td", {}, labels[d]), h("td", {}, t.events), h("td", {}, t.mentions), h("td", {}, t.cooperation), h("td", {}, t.conflict),
      h("td", {}, fmt(t.goldstein_sum, 1)), h("td", {}, fmt(t.goldstein_mean)), h("td", {class: t.net > 0 ? "pos" : t.net < 0 ? "neg" : ""}, t.net === null ? "–" : (t.net > 0 ? "+" : "") + t.net.toFixed(2))); })));
  const types = Object.entries(data.totals.both.by_type);
  const typeTable = h("table", {class: "events compact"},
    h("thead", {}, h("tr", {}, ["PLOVER type", "events", "mentions", labels.a_b, labels.b_a].map(t => h("th", {}, t)))),
    h("tbody", {}, types.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v.events), h("td", {}, v.mentions),
      h("td", {}, (data.totals.a_b.by_type[k] || {events: 0}).events), h("td", {}, (data.totals.b_a.by_type[k] || {events: 0}).events)))));
  const topList = h("ul", {class: "toplist"}, top.rows.map(r => {
    const [x, y] = r.key.split("-");
    return h("li", {}, h("a", {href: "#/dyad?" + new URLSearchParams({a: x, b: y, by}).toString()}, r.label), " ", h("span", {class: "muted"}, `${r.events} event${r.events === 1 ? "" : "s"}`));
  }));
  const evLink = h("a", {href: "#/events?" + new URLSearchParams(data.a.kind === "country" && data.b.kind === "country" ? {dyad: data.a.value + "-" + data.b.value} : {}).toString()}, "see these events");
  setView(h("div", {class: "two-col"},
    h("div", {}, h("h1", {id: "dyad-title"}, title), form,
      h("div", {id: "dyad-chart"}, lineChart({series, title, byLabel: by})),
      h("p", {class: "muted"}, "Counts are distinct real events (dedup clusters); mentions are the reports of them. ", evLink, "."),
      totals, h("h2", {}, "By PLOVER type"), typeTable),
    h("aside", {}, h("h2", {}, "Busiest dyads"), topList)));
}

// ------------------------------------------------------------------ start

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const {name, params} = parseHash();
    const p = filterParams();
    for (const k of ["a", "b", "by"]) if (params.get(k)) p.set(k, params.get(k));
    go(name === "article" ? "events" : name, p);
  });
  document.getElementById("clear").addEventListener("click", () => { form.reset(); go(parseHash().name, new URLSearchParams()); });
  window.addEventListener("hashchange", route);
  route();
});
