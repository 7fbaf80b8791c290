// The share link: the YAML in the URL fragment, deflated with the browser's own
// CompressionStream("deflate-raw") and base64url-encoded under z= (a scenario of a few KB
// becomes a link a chat or a slide can hold). Old links with yaml= (plain base64url) still open.
// "Copy link" puts the link on the clipboard, or, where the clipboard is refused (no permission,
// an insecure origin), shows it selected in a read-only box to copy by hand.

export function toBase64Url(bytes) {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function through(stream, bytes) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export async function compressText(text) {
  return toBase64Url(await through(new CompressionStream("deflate-raw"), new TextEncoder().encode(text)));
}

// The largest YAML the page opens from a link or a message, in UTF-8 bytes (SECURITY.md). The
// bundled scenarios are 2 KB or less; a link's YAML is decompressed only up to this size.
export const MAX_YAML_BYTES = 256 * 1024;
// The longest YAML field (z= or yaml=) read at all, in characters: base64 of MAX_YAML_BYTES
// (deflate never grows data by more than a few bytes per 16 KB block).
export const MAX_LINK_CHARS = Math.ceil(((MAX_YAML_BYTES + 1024) * 4) / 3);

class TooLarge extends Error {
  constructor(max) {
    super(`larger than ${formatBytes(max)}`);
    this.name = "TooLarge";
  }
}

export const formatBytes = (n) => (n >= 1024 * 1024 ? `${+(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`);

// The UTF-8 size of a text, in bytes.
export const utf8Size = (text) => new TextEncoder().encode(text).length;

// Inflates `bytes` (deflate-raw), reading no more than `max` bytes of output: a small link that
// inflates to gigabytes (a "zip bomb") stops at max + 1 with TooLarge.
async function inflateCapped(bytes, max) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      throw new TooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export async function decompressText(z, max = MAX_YAML_BYTES) {
  return new TextDecoder("utf-8", { fatal: true }).decode(await inflateCapped(fromBase64Url(z), max));
}

// A text cut to `n` characters for a message ("…" marks the cut).
export const clip = (text, n = 80) => (text.length > n ? `${text.slice(0, n)}…` : text);

// Seconds as a link or an embed option writes them: a plain decimal number, not negative
// ("42", "12.5", "1e3"); not "0x10", "-5", "+5", " 5", "Infinity" nor "12s".
export function parseSeconds(text) {
  if (typeof text !== "string" || !/^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

// A link's YAML field read into text, or {problem} saying why it could not be, in words for the page.
async function readYamlField(field, raw) {
  const cap = formatBytes(MAX_YAML_BYTES);
  if (raw === "") return { problem: `its YAML (${field}=) is empty` };
  if (raw.length > MAX_LINK_CHARS) return { problem: `its YAML is larger than ${cap} (podplay opens YAML up to ${cap})` };
  let bytes;
  try {
    bytes = fromBase64Url(raw);
  } catch {
    return { problem: `its YAML (${field}=) is not base64url text: the link was changed or cut` };
  }
  if (field === "z") {
    try {
      bytes = await inflateCapped(bytes, MAX_YAML_BYTES);
    } catch (e) {
      if (e instanceof TooLarge) return { problem: `its YAML is ${e.message} once decompressed (podplay opens YAML up to ${cap})` };
      return { problem: "its YAML could not be decompressed: the link is cut short or damaged" };
    }
  } else if (bytes.length > MAX_YAML_BYTES) {
    return { problem: `its YAML is larger than ${cap} (podplay opens YAML up to ${cap})` };
  }
  try {
    return { yaml: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { problem: "its YAML is not UTF-8 text: the link is cut short or damaged" };
  }
}

// The link's fields and what was wrong with them: {fields: {yaml?, scenario?, until?, t?, broken?},
// problems: [{field, message}]}. broken: the link has a YAML (z= wins over the old yaml=) that
// could not be read (cut short, damaged, empty, not UTF-8, or too large); its other fields are
// still read. A t that is not plain seconds is left out, and said.
export async function inspectLink(hash) {
  const p = new URLSearchParams(String(hash ?? "").replace(/^#/, ""));
  const fields = {};
  const problems = [];
  const field = p.has("z") ? "z" : p.has("yaml") ? "yaml" : null;
  if (field) {
    const read = await readYamlField(field, p.get(field));
    if (read.problem === undefined) fields.yaml = read.yaml;
    else {
      fields.broken = true;
      problems.push({ field: "yaml", message: read.problem });
    }
  }
  if (p.has("scenario")) fields.scenario = p.get("scenario");
  if (p.has("until")) fields.until = p.get("until");
  if (p.has("t")) {
    const t = parseSeconds(p.get("t"));
    if (t !== undefined) fields.t = t;
    else problems.push({ field: "t", message: `its time t=${clip(p.get("t"))} is not a number of seconds` });
  }
  return { fields, problems };
}

// The link's fields: {yaml?, scenario?, until?, t?, broken?} (see inspectLink).
export async function readLink(hash) {
  return (await inspectLink(hash)).fields;
}

// "#scenario=NAME&until=..&t=.." for a bundled scenario, else "#z=...&until=..&t=..". A missing
// until or t is left out of the link (never written as "undefined").
export async function makeLink({ scenario, yaml, until, t }) {
  const p = new URLSearchParams();
  if (scenario) p.set("scenario", scenario);
  else p.set("z", await compressText(yaml ?? ""));
  if (typeof until === "string" && until.trim() !== "") p.set("until", until.trim());
  if (typeof t === "number" && Number.isFinite(t) && t >= 0) p.set("t", String(t));
  return "#" + p.toString();
}

// Wires the Copy link button: link() gives the full URL; the confirmation is a live region.
export function installCopyLink({ button, box, note, link }) {
  let timer = 0;
  const say = (text) => {
    note.textContent = text;
    clearTimeout(timer);
    timer = setTimeout(() => { note.textContent = ""; }, 4000);
  };
  button.addEventListener("click", async () => {
    const url = await link();
    box.value = url;
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      box.hidden = true;
      say("Link copied to the clipboard.");
    } catch {
      // The clipboard was refused: show the link selected, for Ctrl+C.
      box.hidden = false;
      box.focus();
      box.select();
      say("Copy the selected link (Ctrl+C).");
    }
  });
}
