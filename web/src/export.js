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

// An SVG document of the lanes in `lanesEl` (#lanes): one row per pod and per container.
export function lanesToSvg(lanesEl, { title = "" } = {}) {
  const rows = [...lanesEl.querySelectorAll(":scope > .lane")];
  const axis = lanesEl.querySelector(".axis-scale");
  const style = getComputedStyle(document.body);
  const fg = style.color;
  const bg = style.backgroundColor;
  const trackW = WIDTH - LABEL - 10;
  const parts = [];
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
      const color = getComputedStyle(seg).backgroundColor;
      const label = seg.dataset.phase ?? seg.dataset.state ?? seg.textContent;
      const sx = x0 + x * trackW;
      const sw = Math.max(0.5, w * trackW);
      g.push(`<rect class="segment" x="${sx.toFixed(1)}" y="${y}" width="${sw.toFixed(1)}" height="${segH.toFixed(1)}" fill="${esc(color)}"><title>${esc(seg.title || label)}</title></rect>`);
      if (sw > 40) g.push(`<text x="${(sx + 3).toFixed(1)}" y="${(y + segH - 4).toFixed(1)}" font-size="${isContainer ? 9 : 10}" fill="${esc(getComputedStyle(seg).color)}">${esc(label)}</text>`);
    }
    for (const seg of track.querySelectorAll(".bseg, .eseg, .ptick")) {
      const t = track.getBoundingClientRect();
      const r = seg.getBoundingClientRect();
      const { x, w } = span(seg, track);
      const sy = y + ((r.top - t.top) / (t.height || 1)) * tall;
      const sh = Math.max(1, (r.height / (t.height || 1)) * tall);
      const st = getComputedStyle(seg);
      const color = st.backgroundImage !== "none" && st.backgroundColor === "rgba(0, 0, 0, 0)" ? st.color : st.backgroundColor;
      g.push(`<rect class="${esc(seg.className)}" x="${(x0 + x * trackW).toFixed(1)}" y="${sy.toFixed(1)}" width="${Math.max(1, w * trackW).toFixed(1)}" height="${sh.toFixed(1)}" fill="${esc(color)}"><title>${esc(seg.title)}</title></rect>`);
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
    `<rect width="100%" height="100%" fill="${esc(bg)}"/>${parts.join("")}</svg>\n`;
}

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
