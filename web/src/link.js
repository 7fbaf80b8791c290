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

export async function decompressText(z) {
  return new TextDecoder("utf-8", { fatal: true }).decode(await through(new DecompressionStream("deflate-raw"), fromBase64Url(z)));
}

// The link's fields: {yaml?, scenario?, until?, t?, broken?} (broken: a yaml/z that would not decode).
export async function readLink(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const out = {};
  try {
    if (p.has("z")) out.yaml = await decompressText(p.get("z"));
    else if (p.has("yaml")) out.yaml = new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(p.get("yaml")));
  } catch {
    out.broken = true;
  }
  if (p.has("scenario")) out.scenario = p.get("scenario");
  if (p.has("until")) out.until = p.get("until");
  if (p.has("t") && p.get("t") !== "" && Number.isFinite(Number(p.get("t")))) out.t = Number(p.get("t"));
  return out;
}

// "#scenario=NAME&until=..&t=.." for a bundled scenario, else "#z=...&until=..&t=..".
export async function makeLink({ scenario, yaml, until, t }) {
  const p = new URLSearchParams();
  if (scenario) p.set("scenario", scenario);
  else p.set("z", await compressText(yaml));
  p.set("until", until);
  p.set("t", String(t));
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
