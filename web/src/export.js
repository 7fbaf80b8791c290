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

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

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
  if (title) parts.push(`<text x="8" y="20" font-size="14" font-weight="bold" fill="${fg}">${esc(title)}</text>`);
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
    g.push(`<text x="${isContainer ? 18 : 8}" y="${y + h / 2 + 4}" font-size="${isContainer ? 11 : 12}" font-family="monospace" fill="${fg}">${esc(name)}</text>`);
    const trackStyle = getComputedStyle(track);
    g.push(`<rect x="${x0}" y="${y}" width="${trackW}" height="${tall}" rx="3" fill="${trackStyle.backgroundColor}" stroke="${trackStyle.borderTopColor}"/>`);
    for (const seg of track.querySelectorAll(".seg, .cseg")) {
      const { x, w } = span(seg, track);
      const segH = isContainer ? h * 0.6 : h * 0.62;
      const color = getComputedStyle(seg).backgroundColor;
      const label = seg.dataset.phase ?? seg.dataset.state ?? seg.textContent;
      const sx = x0 + x * trackW;
      const sw = Math.max(0.5, w * trackW);
      g.push(`<rect class="segment" x="${sx.toFixed(1)}" y="${y}" width="${sw.toFixed(1)}" height="${segH.toFixed(1)}" fill="${color}"><title>${esc(seg.title || label)}</title></rect>`);
      if (sw > 40) g.push(`<text x="${(sx + 3).toFixed(1)}" y="${(y + segH - 4).toFixed(1)}" font-size="${isContainer ? 9 : 10}" fill="${getComputedStyle(seg).color}">${esc(label)}</text>`);
    }
    for (const seg of track.querySelectorAll(".bseg, .eseg, .ptick")) {
      const t = track.getBoundingClientRect();
      const r = seg.getBoundingClientRect();
      const { x, w } = span(seg, track);
      const sy = y + ((r.top - t.top) / (t.height || 1)) * tall;
      const sh = Math.max(1, (r.height / (t.height || 1)) * tall);
      const st = getComputedStyle(seg);
      const color = st.backgroundImage !== "none" && st.backgroundColor === "rgba(0, 0, 0, 0)" ? st.color : st.backgroundColor;
      g.push(`<rect class="${seg.className}" x="${(x0 + x * trackW).toFixed(1)}" y="${sy.toFixed(1)}" width="${Math.max(1, w * trackW).toFixed(1)}" height="${sh.toFixed(1)}" fill="${color}"><title>${esc(seg.title)}</title></rect>`);
    }
    for (const tick of track.querySelectorAll(".tick, .restart")) {
      const { x } = span(tick, track);
      const color = getComputedStyle(tick).backgroundColor;
      const tickH = tick.classList.contains("restart") ? h : h * 0.3;
      g.push(`<rect x="${(x0 + x * trackW).toFixed(1)}" y="${(y + h - tickH).toFixed(1)}" width="2" height="${tickH.toFixed(1)}" fill="${color}"><title>${esc(tick.title)}</title></rect>`);
    }
    for (const m of track.querySelectorAll(".marker")) {
      const { x, w } = span(m, track);
      const cx = x0 + (x + w / 2) * trackW;
      g.push(`<rect x="${(cx - 6).toFixed(1)}" y="${(y + h - 11).toFixed(1)}" width="12" height="11" rx="2" fill="${getComputedStyle(m).backgroundColor}"><title>${esc(m.title)}</title></rect>`);
      g.push(`<text x="${(cx - 3).toFixed(1)}" y="${(y + h - 2).toFixed(1)}" font-size="8" fill="${getComputedStyle(m).color}">${esc(m.textContent)}</text>`);
    }
    const cursor = track.querySelector(".cursor-line");
    if (cursor) {
      const { x } = span(cursor, track);
      g.push(`<rect class="cursor" x="${(x0 + x * trackW).toFixed(1)}" y="${y}" width="2" height="${h}" fill="${getComputedStyle(cursor).backgroundColor}"/>`);
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
      parts.push(`<text x="${ax.toFixed(1)}" y="${y + 10}" font-size="10" text-anchor="${anchor}" fill="${fg}">${esc(s.textContent)}</text>`);
    }
    y += 16;
  }
  const height = Math.ceil(y + 6);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">` +
    `<rect width="100%" height="100%" fill="${bg}"/>${parts.join("")}</svg>\n`;
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

// The transcript: the scenario, then what kubectl printed at the cursor, then the terminal.
// panes: [{command, stdout}] ; entries: the terminal's [{at, command, stdout, stderr, manifest}].
export function transcript({ yaml, at, formatDuration, panes, entries, version }) {
  const out = [];
  const block = (text) => (text.endsWith("\n") || !text ? text : text + "\n");
  out.push(`# podplay ${version ?? ""} transcript: the scenario, kubectl at ${formatDuration(at)}, and the terminal`.replace("  ", " "));
  out.push("$ cat scenario.yaml");
  out.push(block(yaml).replace(/\n$/, ""));
  out.push("");
  out.push(`# at ${formatDuration(at)}`);
  for (const p of panes) {
    out.push(`$ ${p.command}`);
    out.push(block(p.stdout).replace(/\n$/, ""));
  }
  if (entries.length) {
    out.push("");
    out.push("# terminal");
    for (const e of entries) {
      out.push(`# at ${formatDuration(e.at)}${e.step ? " (a scenario step)" : ""}`);
      out.push(`$ ${e.command}${e.manifest ? " <<EOF" : ""}`);
      if (e.manifest) out.push(block(e.manifest) + "EOF");
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
