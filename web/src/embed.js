// Embed mode (?embed) options and the postMessage API for a page that embeds the playground
// in an iframe. Options (query parameters): panes=editor,timeline,pods,describe,logs,events,status,why,kubectl
// (which panes show; default all), t=SECONDS (start time), autoplay, readonly.
import { parseSeconds } from "./link.js";

export const PANES = ["editor", "timeline", "pods", "describe", "logs", "events", "status", "why", "kubectl"];

export function readEmbedOptions(search) {
  const q = new URLSearchParams(search);
  const embed = q.has("embed");
  const panes = q.has("panes")
    ? q.get("panes").split(",").map((s) => s.trim()).filter((s) => PANES.includes(s))
    : PANES;
  const t = q.has("t") ? parseSeconds(q.get("t")) : undefined;
  return { embed, panes, t, autoplay: q.has("autoplay"), readonly: q.has("readonly") };
}

// Shows only the chosen panes; the result column goes when none of its panes is shown.
export function applyEmbed(opts) {
  if (!opts.embed) return;
  document.body.classList.add("embed");
  for (const el of document.querySelectorAll("[data-pane]")) el.hidden = !opts.panes.includes(el.dataset.pane);
  const result = document.querySelector(".result-pane");
  if (result) result.hidden = !PANES.slice(1).some((p) => opts.panes.includes(p));
  if (!opts.panes.includes("editor")) document.body.classList.add("no-editor");
}

// The messages a parent page may send, each with its fields and their types (README's
// "Embedding"). Anything else is ignored: another type, a field of the wrong type, a command or
// an id that is too long. (A YAML over the page's limit is refused by the page, which says so.)
const MAX_COMMAND = 1000;
const MAX_ID = 200;

// The message in `data` as a fresh object with only its documented fields, or null. Fields are
// read from `data`'s own properties only (never inherited ones, never __proto__ or constructor),
// so no key of the message can reach an object of the page.
export function readMessage(data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const own = (key) => (Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined);
  const type = own("type");
  switch (type) {
    case "podplay:load": {
      const yaml = own("yaml");
      return typeof yaml === "string" ? { type, yaml } : null;
    }
    case "podplay:seek": {
      const t = own("t");
      return typeof t === "number" && Number.isFinite(t) && t >= 0 ? { type, t } : null;
    }
    case "podplay:play":
    case "podplay:pause":
      return { type };
    case "podplay:get": {
      const command = own("command");
      const id = own("id");
      if (typeof command !== "string" || command.length > MAX_COMMAND) return null;
      if (id === undefined) return { type, command };
      const idOk = (typeof id === "string" && id.length <= MAX_ID) || (typeof id === "number" && Number.isFinite(id));
      return idOk ? { type, command, id } : null;
    }
    default:
      return null;
  }
}

const NO_SIMULATION = { stdout: "", stderr: "no simulation: the YAML has problems\n", exitCode: 1 };

// The reply to a 'podplay:get', with nothing but its documented fields.
export function resultMessage(m, out) {
  const reply = { type: "podplay:result", stdout: String(out?.stdout ?? ""), stderr: String(out?.stderr ?? ""), exitCode: Number(out?.exitCode ?? 1) };
  if (m.id !== undefined) reply.id = m.id;
  return reply;
}

// Messages: {type:'podplay:load', yaml}, {type:'podplay:seek', t} (seconds, a number),
// {type:'podplay:play'}, {type:'podplay:pause'}, {type:'podplay:get', command, id?}.
// Only the page that frames the playground (window.parent) is listened to: another frame or a
// window that merely holds a reference to it is ignored. 'get' is answered to the sender only:
// {type:'podplay:result', id, stdout, stderr, exitCode}, posted to its origin.
// api: {load(yaml), seek(seconds), play(), pause(), get(command) -> {stdout, stderr, exitCode} | null,
// or a promise of it (the page's engine answers from its worker)}
export function installMessageApi(api, { parent = () => globalThis.parent } = {}) {
  addEventListener("message", (e) => {
    const from = parent();
    if (!from || from === globalThis || e.source !== from) return;
    const m = readMessage(e.data);
    if (!m) return;
    switch (m.type) {
      case "podplay:load": api.load(m.yaml); break;
      case "podplay:seek": api.seek(m.t); break;
      case "podplay:play": api.play(); break;
      case "podplay:pause": api.pause(); break;
      case "podplay:get": {
        // To the sender's window and origin; an opaque origin ("null", a sandboxed frame) can only
        // be named "*", and the reply still goes to that one window.
        const { source, origin } = e;
        const reply = (out) => source.postMessage(resultMessage(m, out ?? NO_SIMULATION), { targetOrigin: origin && origin !== "null" ? origin : "*" });
        const out = api.get(m.command);
        if (typeof out?.then === "function") out.then(reply, (err) => reply({ stdout: "", stderr: `${err?.message ?? err}\n`, exitCode: 1 }));
        else reply(out);
        break;
      }
    }
  });
}
