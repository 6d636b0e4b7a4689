// MidirEdge dashboard: reads /api/* once, then follows /api/events. No build step; uPlot draws the charts.
"use strict";

const HISTORY = 500;        // results read from the cache for the time series
const TABLE_ROWS = 50;      // rows in the latest-results table
const OVERLAID = 5;         // spectra drawn together
const COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16"];

const state = { results: [], ids: new Set(), targets: new Map(), spectra: [], rejected: [], status: null, live: false };
const plots = { spectra: null, series: new Map() };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fmt(v) {
  if (v == null || !isFinite(v)) return "–";
  const a = Math.abs(v);
  return v.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : 3);
}

function time(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function bytes(n) {
  if (n == null) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

function duration(s) {
  if (s == null) return "–";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

// The prediction interval {lower, upper, level} of a result payload, when the model has one (docs/mqtt-payload.md).
function interval(p) {
  return p.interval ? [p.interval.lower, p.interval.upper] : null;
}

function predictionTitle(p) {
  const parts = [`${p.model} ${p.version}`];
  if (p.interval) parts.push(`${Math.round(p.interval.level * 100)} % interval ${fmt(p.interval.lower)} to ${fmt(p.interval.upper)}`);
  if (!p.inDomain) parts.push("outside the model's domain");
  if (p.quality === "indicative") parts.push("indicative: a weak model, to rank or screen rather than to measure");
  return parts.join("; ");
}

function cssWidth(node) { return Math.max(300, node.clientWidth); }

// ---- results table ----

function noteTargets(result) {
  for (const p of result.predictions) if (!state.targets.has(p.target)) state.targets.set(p.target, p.unit || "");
}

function renderTable(freshId) {
  const table = document.getElementById("results");
  const targets = [...state.targets.keys()];
  table.tHead.replaceChildren(el("tr", {},
    el("th", {}, "Sample"), el("th", {}, "Processed"),
    targets.map(t => el("th", { class: "num" }, t, " ", el("span", { class: "unit" }, state.targets.get(t) ? `(${state.targets.get(t)})` : ""))),
    el("th", {}, "QC")));
  const rows = state.results.slice(0, TABLE_ROWS).map(r => {
    const byTarget = new Map(r.predictions.map(p => [p.target, p]));
    return el("tr", { class: r.id === freshId ? "fresh" : null, "data-id": r.id },
      el("td", { class: "sample" }, r.sampleName || r.spectrumHash.slice(0, 8)),
      el("td", {}, time(r.processedUtc)),
      targets.map(t => {
        const p = byTarget.get(t);
        if (!p) return el("td", { class: "num" }, "");
        const iv = interval(p);
        const classes = ["num", p.inDomain ? null : "out", p.quality === "indicative" ? "indicative" : null].filter(Boolean).join(" ");
        return el("td", { class: classes, title: predictionTitle(p) },
          fmt(p.value), iv ? el("span", { class: "interval" }, `[${fmt(iv[0])}, ${fmt(iv[1])}]`) : null, p.inDomain ? null : " †");
      }),
      el("td", {}, r.qc.passed && r.qc.flags.length === 0 ? el("span", { class: "flag ok" }, "passed")
        : [r.qc.passed ? null : el("span", { class: "flag bad" }, "failed"), r.qc.flags.map(f => el("span", { class: "flag" }, f))]));
  });
  table.tBodies[0].replaceChildren(...rows);
  document.getElementById("no-results").hidden = state.results.length > 0;
  table.hidden = state.results.length === 0;
  document.getElementById("result-count").textContent = state.results.length ? `${state.results.length} loaded` : "";
}

// ---- spectra ----

async function loadSpectrum(result) {
  const response = await fetch(`/api/spectra/${result.spectrumHash}`);
  if (!response.ok) return null;
  const s = await response.json();
  // uPlot wants ascending x; the axis is drawn descending (dir -1), as the field draws mid-infrared spectra.
  let x = s.x, y = s.y;
  if (x.length > 1 && x[0] > x[x.length - 1]) { x = [...x].reverse(); y = [...y].reverse(); }
  return { hash: s.id, name: result.sampleName || s.sampleName || s.id.slice(0, 8), x, y, xUnit: s.xUnit, yKind: s.yKind };
}

function renderSpectra() {
  const host = document.getElementById("spectra-chart");
  document.getElementById("spectra-count").textContent = state.spectra.length;
  if (plots.spectra) { plots.spectra.destroy(); plots.spectra = null; }
  if (state.spectra.length === 0) return;
  const sets = state.spectra.slice().reverse();  // oldest first, so the newest is drawn on top
  const data = uPlot.join(sets.map(s => [s.x, s.y]));
  const newest = sets.length - 1;
  const xLabel = sets[0].xUnit === "Wavenumber" ? "Wavenumber (cm⁻¹)" : sets[0].xUnit;
  plots.spectra = new uPlot({
    width: cssWidth(host), height: 300,
    scales: { x: { time: false, dir: -1 } },
    axes: [{ label: xLabel }, { label: sets[0].yKind, size: 60 }],
    series: [{ label: "cm⁻¹", value: (u, v) => v == null ? "–" : v.toFixed(1) },
      ...sets.map((s, i) => ({ label: s.name, stroke: COLORS[(newest - i) % COLORS.length], width: i === newest ? 2 : 1, spanGaps: true,
        value: (u, v) => v == null ? "–" : v.toFixed(4) }))],
    legend: { live: true },
  }, data, host);
}

async function showSpectrum(result) {
  if (state.spectra.some(s => s.hash === result.spectrumHash)) return;
  const s = await loadSpectrum(result);
  if (!s) return;
  state.spectra.unshift(s);
  state.spectra.length = Math.min(state.spectra.length, OVERLAID);
  renderSpectra();
}

// ---- time series per target ----

// One line per tick: the time of day within a day, the date and time beyond.
function timeLabels(u, splits) {
  const span = u.scales.x.max - u.scales.x.min;
  const options = span < 600 ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
    : span < 86400 ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
  return splits.map(s => new Date(s * 1000).toLocaleString(undefined, options));
}

// The time axis spans the results with a little margin, and at least a minute, so a few results do not stretch it over years.
function timeView(xs) {
  if (xs.length === 0) return { min: Date.now() / 1000 - 30, max: Date.now() / 1000 + 30 };
  const first = xs[0], last = xs[xs.length - 1], pad = Math.max(30 - (last - first) / 2, (last - first) * 0.03);
  return { min: first - pad, max: last + pad };
}

function renderSeries() {
  const host = document.getElementById("series");
  const chronological = state.results.slice().reverse();
  for (const [target, unit] of state.targets) {
    const xs = [], inside = [], outside = [], lo = [], hi = [];
    let bands = false;
    for (const r of chronological) {
      const p = r.predictions.find(q => q.target === target);
      if (!p) continue;
      xs.push(Date.parse(r.processedUtc) / 1000);
      inside.push(p.inDomain ? p.value : null);
      outside.push(p.inDomain ? null : p.value);
      const iv = interval(p);
      lo.push(iv ? iv[0] : null); hi.push(iv ? iv[1] : null);
      bands ||= iv != null;
    }
    const data = bands ? [xs, inside, outside, lo, hi] : [xs, inside, outside];
    const view = timeView(xs);
    const existing = plots.series.get(target);
    if (existing && existing.bands === bands) { existing.view = view; existing.plot.setData(data); continue; }
    if (existing) { existing.plot.destroy(); existing.node.remove(); }
    const node = el("div", { class: "plot", "data-target": target }, el("h3", {}, target, " ", el("span", { class: "muted" }, unit ? `(${unit})` : "")));
    host.append(node);
    const width = node.clientWidth;
    const color = COLORS[plots.series.size % COLORS.length];
    const series = [{},
      { label: target, stroke: color, width: 1.5, spanGaps: true, points: { show: true, size: 5, fill: color } },
      { label: "outside domain", stroke: "#c53030", width: 0, points: { show: true, size: 7, fill: "#fff", stroke: "#c53030", width: 2 }, paths: () => null }];
    if (bands) series.push({ label: "lower", stroke: "transparent", spanGaps: true }, { label: "upper", stroke: "transparent", spanGaps: true });
    const entry = { node, bands, view };
    entry.plot = new uPlot({
      width, height: 200,
      series,
      scales: { x: { time: true, range: () => [entry.view.min, entry.view.max] } },
      bands: bands ? [{ series: [4, 3], fill: "rgba(43,108,176,0.15)" }] : [],
      axes: [{ values: timeLabels, space: 70 }, { label: unit, size: 60 }],
      legend: { show: false },
    }, data, node);
    plots.series.set(target, entry);
  }
}

// ---- rejected files ----

function renderRejected() {
  const list = document.getElementById("rejected");
  list.replaceChildren(...state.rejected.map(r => el("li", { title: r.source },
    el("span", { class: "name" }, r.name), " ", el("span", { class: "muted" }, time(r.timeUtc)),
    el("span", { class: "reason" }, r.reason))));
  document.getElementById("no-rejected").hidden = state.rejected.length > 0;
}

// ---- agent state ----

function dl(pairs) { return el("dl", {}, pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-key": k }, v)])); }

function renderStatus() {
  const s = state.status;
  if (!s) return;
  const h = s.health;
  document.getElementById("where").textContent = [s.site, s.instrument].filter(Boolean).join(" · ");
  const pills = [el("span", { class: `pill ${h.status === "healthy" ? "ok" : "bad"}`, title: (h.problems || []).join("\n") }, h.status)];
  if (s.broker) pills.push(el("span", { class: `pill ${s.broker.connected ? "ok" : "bad"}` }, s.broker.connected ? "broker connected" : "broker disconnected"));
  if (s.outbox) pills.push(el("span", { class: `pill ${s.outbox.depth > 0 ? "warn" : ""}` }, `outbox ${s.outbox.depth}`));
  pills.push(el("span", { class: `pill ${state.live ? "ok" : "warn"}` }, state.live ? "live" : "reconnecting"));
  document.getElementById("pills").replaceChildren(...pills);

  const parts = [
    el("div", {}, el("h3", {}, "Runtime"), dl([["version", h.version], ["uptime", duration(h.uptimeSeconds)], ["last spectrum", time(h.lastSpectrumUtc)],
      ["adapters", s.adapters.length ? s.adapters.map(a => `${a.name} (${a.kind})`).join(", ") : "none"]])),
    el("div", {}, el("h3", {}, "Delivery"), dl([
      ["broker", s.broker ? `${s.broker.host}:${s.broker.port}` : "none"],
      ["connected", s.broker ? (s.broker.connected ? "yes" : "no") : "–"],
      ["outbox", s.outbox ? `${s.outbox.depth} waiting` : "–"],
      ["oldest waiting", s.outbox?.oldestAgeSeconds != null ? duration(s.outbox.oldestAgeSeconds) : "–"]])),
  ];
  if (s.disk) parts.push(el("div", {}, el("h3", {}, "Disk"), dl([["cache", bytes(s.disk.cacheBytes)], ["cached results", s.disk.cachedResults],
    ["free", `${bytes(s.disk.freeBytes)} of ${bytes(s.disk.totalBytes)}`], ["file", el("span", { class: "path" }, s.disk.cachePath)]])));
  parts.push(el("div", { class: "models" }, el("h3", {}, `Models (${s.models.length})`),
    el("table", {}, el("thead", {}, el("tr", {}, ["Model", "Version", "Target", "Unit", "RMSE", "R²", "RPD", "Signed"].map(t => el("th", { class: ["RMSE", "R²", "RPD"].includes(t) ? "num" : null }, t)))),
      el("tbody", {}, s.models.flatMap(m => m.targets.map(t => el("tr", { title: t.validation || "" },
        el("td", {}, m.name), el("td", {}, m.version), el("td", {}, t.name), el("td", {}, t.unit || ""),
        el("td", { class: "num" }, fmt(t.rmse)), el("td", { class: "num" }, t.r2 == null ? "–" : t.r2.toFixed(2)),
        el("td", { class: "num" }, t.rpd == null ? "–" : t.rpd.toFixed(1)), el("td", {}, m.signed ? "yes" : "no"))))))));
  document.getElementById("state").replaceChildren(...parts);
}

async function refreshStatus() {
  try {
    const response = await fetch("/api/status");
    if (response.ok) { state.status = await response.json(); renderStatus(); }
  } catch { /* the agent is restarting; the next tick tries again */ }
}

// ---- live feed ----

function addResult(result, live) {
  if (state.ids.has(result.id)) return;
  state.ids.add(result.id);
  state.results.unshift(result);
  if (state.results.length > HISTORY) state.ids.delete(state.results.pop().id);
  noteTargets(result);
  if (live) {
    renderTable(result.id);
    renderSeries();
    showSpectrum(result);
    // A burst of results asks for the status once.
    clearTimeout(state.statusSoon);
    state.statusSoon = setTimeout(refreshStatus, 300);
  }
}

function addRejection(rejection) {
  state.rejected.unshift(rejection);
  state.rejected.length = Math.min(state.rejected.length, 100);
  renderRejected();
}

async function start() {
  // Subscribe first and hold the events until the history is in, so nothing falls between the two.
  const pending = [];
  let loaded = false;
  const events = new EventSource("/api/events");
  events.addEventListener("result", e => loaded ? addResult(JSON.parse(e.data), true) : pending.push(["result", e.data]));
  events.addEventListener("rejected", e => loaded ? addRejection(JSON.parse(e.data)) : pending.push(["rejected", e.data]));
  events.onopen = () => { state.live = true; renderStatus(); };
  events.onerror = () => { state.live = false; renderStatus(); };

  const [history, rejected] = await Promise.all([
    fetch(`/api/results?limit=${HISTORY}`).then(r => r.ok ? r.json() : { results: [] }),
    fetch("/api/rejected").then(r => r.ok ? r.json() : []),
    refreshStatus(),
  ]);
  for (const r of history.results.slice().reverse()) addResult(r, false);
  state.rejected = rejected;
  loaded = true;
  for (const [kind, data] of pending) kind === "result" ? addResult(JSON.parse(data), false) : state.rejected.unshift(JSON.parse(data));
  renderTable();
  renderRejected();
  renderSeries();
  // The last spectra fetched together and drawn once.
  const latest = await Promise.all(state.results.slice(0, OVERLAID).map(loadSpectrum));
  state.spectra = latest.filter(s => s != null);
  renderSpectra();
  document.body.dataset.ready = "true";
  setInterval(refreshStatus, 5000);
}

window.addEventListener("resize", () => {
  if (plots.spectra) plots.spectra.setSize({ width: cssWidth(document.getElementById("spectra-chart")), height: 300 });
  for (const { plot, node } of plots.series.values()) plot.setSize({ width: node.clientWidth, height: 200 });
});

start();
