// Embed mode (?embed) options and the postMessage API for a page that embeds the playground
// in an iframe (docs/embed.md). Options (query parameters): panes=editor,timeline,pods,describe,
// logs,events,status,why,kubectl (which panes show; default all), t=SECONDS (start time),
// autoplay, readonly, hide=CONTROL,... (controls not shown: HIDEABLE).
import { parseSeconds } from "./link.js";

export const PANES = ["editor", "timeline", "pods", "describe", "logs", "events", "status", "why", "kubectl"];

// The version of the messages documented in docs/embed.md, sent with 'podplay:ready': a parent
// can tell what this playground answers. It grows when a message is added or changed.
export const API_VERSION = 1;

// What hide= can take away, each with the element(s) it hides (by id, with the control group
// around them) or, for what the page redraws, a class on <body> that style.css reads.
export const HIDEABLE = {
  until: { ids: ["until"], around: ".controls" },          // "Simulate for"
  playback: { ids: ["play"], around: ".controls" },        // previous / play / next, speed
  speed: { ids: ["speed"], around: "label" },              // the playback speed only
  zoom: { ids: ["zoom-in"], around: ".controls" },         // the zoom buttons
  export: { ids: ["export-svg"], around: ".controls" },    // SVG, PNG, transcript
  link: { ids: ["copy-link"], around: ".controls" },       // Copy link
  help: { ids: ["until-help", "terminal-help"], also: ".playback .help, .zoom .help" }, // the hints
  legend: { bodyClass: "hide-legend" },                    // the timeline's legend
};

// A comma-separated list of names, trimmed, in the given order, each once, only those in `known`.
function namesIn(text, known) {
  const names = text.split(",").map((s) => s.trim()).filter((s) => known.includes(s));
  return [...new Set(names)];
}

export function readEmbedOptions(search) {
  const q = new URLSearchParams(search);
  const embed = q.has("embed");
  const panes = q.has("panes") ? namesIn(q.get("panes"), PANES) : PANES;
  const hide = q.has("hide") ? namesIn(q.get("hide"), Object.keys(HIDEABLE)) : [];
  const t = q.has("t") ? parseSeconds(q.get("t")) : undefined;
  return { embed, panes, t, autoplay: q.has("autoplay"), readonly: q.has("readonly"), hide };
}

// Shows only the chosen panes and controls; the result column goes when none of its panes is
// shown.
export function applyEmbed(opts) {
  if (!opts.embed) return;
  document.body.classList.add("embed");
  for (const el of document.querySelectorAll("[data-pane]")) el.hidden = !opts.panes.includes(el.dataset.pane);
  const result = document.querySelector(".result-pane");
  if (result) result.hidden = !PANES.slice(1).some((p) => opts.panes.includes(p));
  if (!opts.panes.includes("editor")) document.body.classList.add("no-editor");
  for (const name of opts.hide) hideControl(HIDEABLE[name]);
}

function hideControl({ ids = [], around, also, bodyClass }) {
  for (const id of ids) {
    const el = document.getElementById(id);
    const target = around ? el?.closest(around) : el;
    if (target) target.hidden = true;
  }
  if (also) for (const el of document.querySelectorAll(also)) el.hidden = true;
  if (bodyClass) document.body.classList.add(bodyClass);
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

// Messages that arrive before the page can answer them (the engine still loading) wait, in
// order, up to this many; later ones are ignored until the page is ready.
export const MAX_QUEUED = 100;

// Messages: {type:'podplay:load', yaml}, {type:'podplay:seek', t} (seconds, a number),
// {type:'podplay:play'}, {type:'podplay:pause'}, {type:'podplay:get', command, id?}.
// Only the page that frames the playground (window.parent) is listened to: another frame or a
// window that merely holds a reference to it is ignored. 'get' is answered to the sender only:
// {type:'podplay:result', id, stdout, stderr, exitCode}, posted to its origin.
// Listens from the moment it is called (the page's first script, before the engine has loaded, so
// a message posted as soon as the iframe fires 'load' is not lost) and queues what arrives until
// start(api) hands it the page's api, which then takes the queued messages in order.
// api: {load(yaml), seek(seconds), play(), pause(), get(command) -> {stdout, stderr, exitCode} | null,
// or a promise of it (the page's engine answers from its worker)}
export function openMessageChannel({ parent = () => globalThis.parent } = {}) {
  let api = null;
  const queue = [];
  addEventListener("message", (e) => {
    const from = parent();
    if (!from || from === globalThis || e.source !== from) return;
    const m = readMessage(e.data);
    if (!m) return;
    const received = { m, source: e.source, origin: e.origin };
    if (api) handle(api, received);
    else if (queue.length < MAX_QUEUED) queue.push(received);
  });
  return {
    start(pageApi) {
      api = pageApi;
      for (const received of queue.splice(0)) handle(api, received);
    },
    get queued() { return queue.length; },
  };
}

// The channel, with the page's api already able to answer.
export function installMessageApi(api, options) {
  const channel = openMessageChannel(options);
  channel.start(api);
  return channel;
}

function handle(api, { m, source, origin }) {
  switch (m.type) {
    case "podplay:load": api.load(m.yaml); break;
    case "podplay:seek": api.seek(m.t); break;
    case "podplay:play": api.play(); break;
    case "podplay:pause": api.pause(); break;
    case "podplay:get": {
      // To the sender's window and origin; an opaque origin ("null", a sandboxed frame) can only
      // be named "*", and the reply still goes to that one window.
      const reply = (out) => source.postMessage(resultMessage(m, out ?? NO_SIMULATION), { targetOrigin: origin && origin !== "null" ? origin : "*" });
      const out = api.get(m.command);
      if (typeof out?.then === "function") out.then(reply, (err) => reply({ stdout: "", stderr: `${err?.message ?? err}\n`, exitCode: 1 }));
      else reply(out);
      break;
    }
  }
}

// What the playground tells the page that frames it. Neither carries anything of the user's or
// of the scenario, so both go to whatever origin the parent has ("*": an embed cannot know it).
export const readyMessage = (version) => ({ type: "podplay:ready", apiVersion: API_VERSION, version: String(version) });
export const resizeMessage = (height) => ({ type: "podplay:resize", height });

// Posts `message` to the framing page; nothing when the page is not framed.
export function tellParent(message, { parent = () => globalThis.parent } = {}) {
  const to = parent();
  if (!to || to === globalThis) return false;
  to.postMessage(message, "*");
  return true;
}
