// Exports: the timeline lanes as SVG or PNG (the SVG drawn on a canvas), and a text transcript
// (the scenario, the kubectl outputs shown at the cursor, the terminal's scrollback). The SVG
// is drawn from the lanes as rendered, with their computed colours, so it matches the page (and
// its light or dark scheme). Downloads go through Blob URLs; nothing leaves the page.

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 1000;
const LABEL = 170;
const POD_H = 26;
const CONTAINER_H = 18;
const GAP = 6;

// XML 1.0 has no place for most control characters, for U+FFFE and U+FFFF, nor for half a
// surrogate pair: such a character (in a pod name, a log line, an event) would make the whole
// file unreadable, so it is written as U+FFFD.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Any text as XML character data or a double-quoted attribute value: no markup can come of it.
export const xmlText = (s) =>
  String(s).replace(XML_INVALID, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const esc = xmlText;

// Horizontal place of an element inside its track, as fractions of the track's width.
function span(el, track) {
  const t = track.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (!t.width) return { x: 0, w: 0 };
  return { x: (r.left - t.left) / t.width, w: r.width / t.width };
}

// ---- the page's colours and hatching, as SVG paints ----

// `s` split at the commas that are not inside parentheses.
export function splitTopLevel(s) {
  const parts = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")") depth--;
    else if (s[i] === "," && depth === 0) { parts.push(s.slice(from, i).trim()); from = i + 1; }
  }
  parts.push(s.slice(from).trim());
  return parts;
}

const channel = (t, scale) => (t.endsWith("%") ? (parseFloat(t) / 100) * scale : parseFloat(t));

// A computed CSS colour as {r, g, b (0..255), a (0..1)}, or null when it is not one of the forms
// a browser computes for the page's colours: #hex, rgb()/rgba(), color(srgb ...) and
// color-mix(in srgb, ...) (the hatching mixes the page's colours), transparent.
export function parseCssColor(text) {
  const s = String(text).trim().toLowerCase();
  if (s === "transparent") return { r: 0, g: 0, b: 0, a: 0 };
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (hex) {
    const h = hex[1].length <= 4 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    const n = (i) => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^([a-z-]+)\((.*)\)$/s.exec(s);
  if (!fn) return null;
  const [, name, body] = fn;
  if (name === "color-mix") return mixColors(splitTopLevel(body));
  const args = body.trim().replace(/^srgb\s+/, "").split(/[\s,/]+/).filter(Boolean);
  if (name === "rgb" || name === "rgba") {
    if (args.length < 3) return null;
    const [r, g, b] = args.slice(0, 3).map((t) => channel(t, 255));
    return { r, g, b, a: args[3] === undefined ? 1 : channel(args[3], 1) };
  }
  if (name === "color" && /^srgb\s/.test(body.trim())) {
    const [r, g, b] = args.slice(0, 3).map((t) => channel(t, 1) * 255);
    return { r, g, b, a: args[3] === undefined ? 1 : channel(args[3], 1) };
  }
  return null;
}

// color-mix(in srgb, A [p%], B [q%]): the CSS Color 5 rules (missing shares, shares that do
// not add up to 100 %, premultiplied alpha).
function mixColors([space, first, second]) {
  if (!/^in srgb$/.test(space ?? "") || !first || !second) return null;
  const part = (arg) => {
    const m = /^(.*?)\s+([\d.]+)%$/.exec(arg);
    return m ? { color: parseCssColor(m[1]), p: parseFloat(m[2]) / 100 } : { color: parseCssColor(arg), p: null };
  };
  const a = part(first);
  const b = part(second);
  if (!a.color || !b.color) return null;
  if (a.p === null && b.p === null) { a.p = 0.5; b.p = 0.5; } else if (a.p === null) a.p = 1 - b.p; else if (b.p === null) b.p = 1 - a.p;
  const sum = a.p + b.p;
  if (sum <= 0) return null;
  const [pa, pb] = [a.p / sum, b.p / sum];
  const alpha = a.color.a * pa + b.color.a * pb;
  const mix = (k) => (alpha ? (a.color[k] * a.color.a * pa + b.color[k] * b.color.a * pb) / alpha : 0);
  return { r: mix("r"), g: mix("g"), b: mix("b"), a: alpha * Math.min(1, sum) };
}

// A CSS colour as SVG 1.1 paint attributes: `${name}="rgb(r, g, b)"` (and its opacity when
// not opaque), which every SVG viewer reads; a colour it cannot read is passed on as it is.
export function svgPaint(css, name = "fill") {
  const c = parseCssColor(css);
  if (!c) return `${name}="${esc(css)}"`;
  const rgb = `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  const opacity = name === "stop-color" ? "stop-opacity" : `${name}-opacity`;
  return c.a >= 1 ? `${name}="${rgb}"` : `${name}="${rgb}" ${opacity}="${+c.a.toFixed(3)}"`;
}

const DIRECTIONS = { "to top": 0, "to right": 90, "to bottom": 180, "to left": 270, "to top right": 45, "to right top": 45, "to bottom right": 135, "to right bottom": 135, "to bottom left": 225, "to left bottom": 225, "to top left": 315, "to left top": 315 };
const ANGLE_UNITS = { deg: 1, grad: 0.9, rad: 180 / Math.PI, turn: 360 };

// A computed linear-gradient() or repeating-linear-gradient() as {repeating, angle (deg),
// stops: [{color, pos (px, or null when not in px)}]}; null for anything else.
export function parseGradient(text) {
  const m = /^(repeating-)?linear-gradient\((.*)\)$/s.exec(String(text).trim());
  if (!m) return null;
  const args = splitTopLevel(m[2]);
  let angle = 180;
  const unit = /^(-?[\d.]+)(deg|grad|rad|turn)$/.exec(args[0]);
  if (unit) { angle = parseFloat(unit[1]) * ANGLE_UNITS[unit[2]]; args.shift(); } else if (Object.hasOwn(DIRECTIONS, args[0])) angle = DIRECTIONS[args.shift()];
  const stops = [];
  for (const arg of args) {
    const fn = /^([a-z-]+\((?:[^()]|\([^()]*\))*\)|\S+)\s*(.*)$/is.exec(arg);
    if (!fn) return null;
    const positions = fn[2].split(/\s+/).filter(Boolean).map((p) => (p === "0" ? 0 : /^-?[\d.]+px$/.test(p) ? parseFloat(p) : null));
    for (const pos of positions.length ? positions : [null]) stops.push({ color: fn[1], pos });
  }
  return stops.length ? { repeating: Boolean(m[1]), angle, stops } : null;
}

// A repeating gradient in px (the page's hatching) as an SVG <linearGradient> that repeats the
// same stripes; null when it cannot be one (then the first colour stands for it).
export function svgGradient(id, g) {
  if (!g?.repeating || g.stops.some((s) => s.pos === null)) return null;
  const first = g.stops[0].pos;
  const period = g.stops[g.stops.length - 1].pos - first;
  if (!(period > 0)) return null;
  const rad = (g.angle * Math.PI) / 180;
  const x2 = (period * Math.sin(rad)).toFixed(2);
  const y2 = (-period * Math.cos(rad)).toFixed(2);
  const stops = g.stops.map((s) => `<stop offset="${+((s.pos - first) / period).toFixed(4)}" ${svgPaint(s.color, "stop-color")}/>`);
  return `<linearGradient id="${esc(id)}" gradientUnits="userSpaceOnUse" spreadMethod="repeat" x1="0" y1="0" x2="${x2}" y2="${y2}">${stops.join("")}</linearGradient>`;
}

// The paint of an element's background: its colour, or its gradient (kept once in `defs`).
function backgroundPaint(st, defs) {
  if (st.backgroundImage && st.backgroundImage !== "none") {
    const g = parseGradient(st.backgroundImage);
    if (!defs.has(st.backgroundImage)) defs.set(st.backgroundImage, svgGradient(`paint${defs.size + 1}`, g));
    const def = defs.get(st.backgroundImage);
    if (def) return `fill="url(#${/ id="([^"]+)"/.exec(def)[1]})"`;
    if (g) return svgPaint(g.stops[0].color);
  }
  return svgPaint(st.backgroundColor);
}

// A probe attempt's shape as the page draws it, told apart by shape as well as colour: a
// diamond (a square turned 45°, whose box is the diamond's) for a timeout, a triangle (drawn
// with borders) for an error; null for the others, which are their box.
function tickShape(seg, st, { x, y, w, h }, defs) {
  const points = (list) => list.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ");
  const head = `<polygon class="${esc(seg.className)}"`;
  const title = `<title>${esc(seg.title)}</title></polygon>`;
  if (seg.dataset.outcome === "timeout") return `${head} points="${points([[x + w / 2, y], [x + w, y + h / 2], [x + w / 2, y + h], [x, y + h / 2]])}" ${backgroundPaint(st, defs)}>${title}`;
  if (seg.dataset.outcome === "error") return `${head} points="${points([[x, y + h], [x + w / 2, y], [x + w, y + h]])}" ${svgPaint(st.borderBottomColor)}>${title}`;
  return null;
}

// A label clipped to its box, as the page clips it (overflow: hidden).
function clippedText(x, y, w, h, text, st, size) {
  return `<svg x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}"><text x="2" y="${(h / 2 + size * 0.35).toFixed(1)}" font-size="${size.toFixed(1)}" ${svgPaint(st.color)}>${esc(text)}</text></svg>`;
}

// An SVG document of the lanes in `lanesEl` (#lanes): one row per pod and per container.
export function lanesToSvg(lanesEl, { title = "" } = {}) {
  const rows = [...lanesEl.querySelectorAll(":scope > .lane")];
  const axis = lanesEl.querySelector(".axis-scale");
  const style = getComputedStyle(document.body);
  const fg = style.color;
  const bg = style.backgroundColor;
  const trackW = WIDTH - LABEL - 10;
  const parts = [];
  const defs = new Map(); // a background-image -> its <linearGradient> (or null)
  let y = title ? 30 : 8;
  if (title) parts.push(`<text x="8" y="20" font-size="14" font-weight="bold" fill="${esc(fg)}">${esc(title)}</text>`);
  for (const row of rows) {
    const track = row.querySelector(".track");
    const name = row.querySelector(".lane-name")?.textContent ?? "";
    const isContainer = row.classList.contains("container-lane");
    // Condition and probe rows stack inside a taller track: the row keeps the track's proportions.
    const rowH = row.querySelector(".track").getBoundingClientRect().height;
    const h = isContainer ? CONTAINER_H : POD_H;
    const tall = Math.max(h, Math.round(rowH * 0.75));
    const x0 = LABEL;
    const g = [`<g class="${isContainer ? "container-lane" : "pod-lane"}" data-name="${esc(name)}">`];
    g.push(`<text x="${isContainer ? 18 : 8}" y="${y + h / 2 + 4}" font-size="${isContainer ? 11 : 12}" font-family="monospace" fill="${esc(fg)}">${esc(name)}</text>`);
    const trackStyle = getComputedStyle(track);
    g.push(`<rect x="${x0}" y="${y}" width="${trackW}" height="${tall}" rx="3" fill="${esc(trackStyle.backgroundColor)}" stroke="${esc(trackStyle.borderTopColor)}"/>`);
    for (const seg of track.querySelectorAll(".seg, .cseg")) {
      const { x, w } = span(seg, track);
      const segH = isContainer ? h * 0.6 : h * 0.62;
      const st = getComputedStyle(seg);
      const label = seg.dataset.phase ?? seg.dataset.state ?? seg.textContent;
      const sx = x0 + x * trackW;
      const sw = Math.max(0.5, w * trackW);
      g.push(`<rect class="segment" x="${sx.toFixed(1)}" y="${y}" width="${sw.toFixed(1)}" height="${segH.toFixed(1)}" ${backgroundPaint(st, defs)}><title>${esc(seg.title || label)}</title></rect>`);
      if (sw > 40) g.push(`<text x="${(sx + 3).toFixed(1)}" y="${(y + segH - 4).toFixed(1)}" font-size="${isContainer ? 9 : 10}" ${svgPaint(st.color)}>${esc(label)}</text>`);
    }
    // Condition bands, endpoint segments and probe ticks, placed as on the track; a band's
    // label ("Ready=False") as the page writes it, and False's hatching as the page draws it.
    for (const seg of track.querySelectorAll(".bseg, .eseg, .ptick")) {
      const t = track.getBoundingClientRect();
      const r = seg.getBoundingClientRect();
      const { x, w } = span(seg, track);
      const sx = x0 + x * trackW;
      const sw = Math.max(1, w * trackW);
      const sy = y + ((r.top - t.top) / (t.height || 1)) * tall;
      const sh = Math.max(1, (r.height / (t.height || 1)) * tall);
      const st = getComputedStyle(seg);
      const shape = seg.classList.contains("ptick") ? tickShape(seg, st, { x: sx, y: sy, w: sw, h: sh }, defs) : null;
      if (shape) { g.push(shape); continue; }
      const dashed = st.borderTopStyle === "dashed" ? ` ${svgPaint(st.borderTopColor, "stroke")} stroke-dasharray="3 2"` : "";
      g.push(`<rect class="${esc(seg.className)}" x="${sx.toFixed(1)}" y="${sy.toFixed(1)}" width="${sw.toFixed(1)}" height="${sh.toFixed(1)}" ${backgroundPaint(st, defs)}${dashed}><title>${esc(seg.title)}</title></rect>`);
      const label = seg.classList.contains("ptick") ? "" : seg.textContent;
      if (label && sw > 12) g.push(clippedText(sx, sy, sw, sh, label, st, Math.min(10, sh * 0.72)));
    }
    for (const tick of track.querySelectorAll(".tick, .restart")) {
      const { x } = span(tick, track);
      const color = getComputedStyle(tick).backgroundColor;
      const tickH = tick.classList.contains("restart") ? h : h * 0.3;
      g.push(`<rect x="${(x0 + x * trackW).toFixed(1)}" y="${(y + h - tickH).toFixed(1)}" width="2" height="${tickH.toFixed(1)}" fill="${esc(color)}"><title>${esc(tick.title)}</title></rect>`);
    }
    for (const m of track.querySelectorAll(".marker")) {
      const { x, w } = span(m, track);
      const cx = x0 + (x + w / 2) * trackW;
      g.push(`<rect x="${(cx - 6).toFixed(1)}" y="${(y + h - 11).toFixed(1)}" width="12" height="11" rx="2" fill="${esc(getComputedStyle(m).backgroundColor)}"><title>${esc(m.title)}</title></rect>`);
      g.push(`<text x="${(cx - 3).toFixed(1)}" y="${(y + h - 2).toFixed(1)}" font-size="8" fill="${esc(getComputedStyle(m).color)}">${esc(m.textContent)}</text>`);
    }
    const cursor = track.querySelector(".cursor-line");
    if (cursor) {
      const { x } = span(cursor, track);
      g.push(`<rect class="cursor" x="${(x0 + x * trackW).toFixed(1)}" y="${y}" width="2" height="${h}" fill="${esc(getComputedStyle(cursor).backgroundColor)}"/>`);
    }
    g.push("</g>");
    parts.push(g.join(""));
    y += tall + GAP;
  }
  if (axis) {
    for (const s of axis.querySelectorAll("span")) {
      const { x } = span(s, axis);
      const anchor = s === axis.firstElementChild ? "start" : s === axis.lastElementChild ? "end" : "middle";
      const ax = LABEL + (anchor === "start" ? x : anchor === "end" ? x + span(s, axis).w : x + span(s, axis).w / 2) * trackW;
      parts.push(`<text x="${ax.toFixed(1)}" y="${y + 10}" font-size="10" text-anchor="${anchor}" fill="${esc(fg)}">${esc(s.textContent)}</text>`);
    }
    y += 16;
  }
  const height = Math.ceil(y + 6);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">` +
    `${gradients(defs)}<rect width="100%" height="100%" ${svgPaint(bg)}/>${parts.join("")}</svg>\n`;
}

const gradients = (defs) => {
  const list = [...defs.values()].filter(Boolean);
  return list.length ? `<defs>${list.join("")}</defs>` : "";
};

// Draws the SVG on a canvas (at `scale`) and returns it as a PNG Blob.
export function svgToPng(svgText, scale = 2) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const ctx = canvas.getContext("2d");
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas gave no PNG"))), "image/png");
    };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("the SVG could not be drawn")); };
    img.src = url;
  });
}

// Characters a terminal or an editor acts on instead of showing: the C0 controls but tab and
// newline (ESC starts the sequences that move the cursor, retitle the window or write the
// clipboard; a lone CR overwrites the line), DEL, the C1 controls, and the bidirectional marks,
// overrides and isolates that reorder what a reader sees ("Trojan Source").
const UNSAFE_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

// Any text as it goes into the transcript: CRLF as LF, and each character above as a visible
// \uXXXX escape, so that `cat transcript.txt` or an editor shows exactly what was there.
export const plainText = (s) =>
  String(s ?? "").replace(/\r\n/g, "\n").replace(UNSAFE_TEXT, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);

// A here-document delimiter that no line of `text` equals (EOF, else EOF1, EOF2, ...).
export function heredocDelimiter(text) {
  const lines = new Set(text.split("\n"));
  let d = "EOF";
  for (let i = 1; lines.has(d); i++) d = `EOF${i}`;
  return d;
}

// The transcript: the scenario, then what kubectl printed at the cursor, then the terminal. A
// plain text file (text/plain); every text in it went through plainText, and a manifest is a
// quoted here-document (<<'EOF': a shell expands nothing in it) whose delimiter it cannot end.
// panes: [{command, stdout}] ; entries: the terminal's [{at, command, stdout, stderr, manifest}].
export function transcript({ yaml, at, formatDuration, panes, entries, version }) {
  const out = [];
  const block = (text) => {
    const t = plainText(text);
    return t.endsWith("\n") || !t ? t : t + "\n";
  };
  out.push(`# podplay ${plainText(version ?? "")} transcript: the scenario, kubectl at ${formatDuration(at)}, and the terminal`.replace("  ", " "));
  out.push("$ cat scenario.yaml");
  out.push(block(yaml).replace(/\n$/, ""));
  out.push("");
  out.push(`# at ${formatDuration(at)}`);
  for (const p of panes) {
    out.push(`$ ${plainText(p.command)}`);
    out.push(block(p.stdout).replace(/\n$/, ""));
  }
  if (entries.length) {
    out.push("");
    out.push("# terminal");
    for (const e of entries) {
      out.push(`# at ${formatDuration(e.at)}${e.step ? " (a scenario step)" : ""}`);
      const manifest = e.manifest ? block(e.manifest) : "";
      const end = heredocDelimiter(manifest);
      out.push(`$ ${plainText(e.command)}${manifest ? ` <<'${end}'` : ""}`);
      if (manifest) out.push(manifest + end);
      const text = block(e.stdout ?? "") + block(e.stderr ?? "");
      if (text) out.push(text.replace(/\n$/, ""));
    }
  }
  return out.join("\n") + "\n";
}

// Saves a Blob as a file through a temporary Blob URL.
export function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Wires the export buttons. host: { lanes, name(), at(), formatDuration, yaml(), panes(), entries(), version(), status(text, isError) }
export function installExport(host, buttons) {
  const base = () => `podplay-${host.name() || "scenario"}-${host.formatDuration(host.at())}`;
  const svg = () => lanesToSvg(host.lanes, { title: `${host.name() || "scenario"} at ${host.formatDuration(host.at())}` });
  buttons.svg.addEventListener("click", () => download(new Blob([svg()], { type: "image/svg+xml" }), `${base()}.svg`));
  buttons.png.addEventListener("click", async () => {
    try {
      download(await svgToPng(svg()), `${base()}.png`);
    } catch (e) {
      host.status(`PNG export: ${e.message}`, true);
    }
  });
  buttons.transcript.addEventListener("click", () => {
    const text = transcript({ yaml: host.yaml(), at: host.at(), formatDuration: host.formatDuration, panes: host.panes(), entries: host.entries(), version: host.version() });
    download(new Blob([text], { type: "text/plain;charset=utf-8" }), `${base()}.txt`);
  });
}
