// The work kept in this browser (localStorage): the YAML, the simulated duration and the
// cursor, restored when the page opens without a link (a link in the fragment wins); and the
// drafts: YAML the page replaced (a scenario loaded over edits, a link opened over saved work,
// another tab's work saved over), kept to be restored. Nothing the user typed is dropped
// silently: a write that fails says why ({ok: false, reason: "full" | "off"}).
export const WORK_KEY = "podplay:work";
export const DRAFTS_KEY = "podplay:drafts";
export const MAX_DRAFTS = 10;
const KEY = WORK_KEY;

// Why a write failed: the browser's quota is used up ("full"), or storage is off, refused (a
// sandboxed frame, a privacy setting) or missing ("off").
export function failureReason(e) {
  const name = e?.name ?? "";
  return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED" || e?.code === 22 || e?.code === 1014 ? "full" : "off";
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: failureReason(e) };
  }
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null; // storage off, or broken JSON: start fresh
  }
}

export function loadWork() {
  const w = read(KEY);
  return w && typeof w === "object" && typeof w.yaml === "string" ? w : null;
}

// Writes the work: {ok: true}, or {ok: false, reason} when the browser refused it.
export function saveWork(work) {
  return write(KEY, work);
}

// The drafts, newest first: [{yaml, until?, t?, savedAt}].
export function loadDrafts() {
  const list = read(DRAFTS_KEY);
  if (!Array.isArray(list)) return [];
  return list
    .filter((d) => d && typeof d === "object" && typeof d.yaml === "string")
    .map((d) => ({
      yaml: d.yaml,
      ...(typeof d.until === "string" ? { until: d.until } : {}),
      ...(typeof d.t === "number" && Number.isFinite(d.t) ? { t: d.t } : {}),
      savedAt: typeof d.savedAt === "number" && Number.isFinite(d.savedAt) ? d.savedAt : 0,
    }))
    .slice(0, MAX_DRAFTS);
}

// Keeps a draft first in the list (the same YAML kept before moves up instead of twice); the
// oldest beyond MAX_DRAFTS goes. {ok, reason?, drafts}.
export function addDraft({ yaml, until, t, savedAt = Date.now() }) {
  const draft = { yaml, savedAt };
  if (typeof until === "string") draft.until = until;
  if (typeof t === "number" && Number.isFinite(t)) draft.t = t;
  const drafts = [draft, ...loadDrafts().filter((d) => d.yaml !== yaml)].slice(0, MAX_DRAFTS);
  const result = write(DRAFTS_KEY, drafts);
  return { ...result, drafts: result.ok ? drafts : loadDrafts() };
}

export function removeDraft(yaml) {
  const drafts = loadDrafts().filter((d) => d.yaml !== yaml);
  return { ...write(DRAFTS_KEY, drafts), drafts };
}

// Saves this page's work without overwriting work it has not seen. `seen` is the YAML this page
// last read from or wrote to the store (null: none). When the store holds other YAML than that
// (another tab saved since, or the page opened a link over saved work) and it is not `pristine`
// (an untouched example), that YAML is kept as a draft first; if it cannot be kept, this work is
// not saved over it. Returns {ok, reason?, archived: the draft kept, or null}.
export function keepWork(work, seen, { pristine = () => false, now = Date.now() } = {}) {
  const stored = loadWork();
  let archived = null;
  if (stored && stored.yaml !== seen && stored.yaml !== work.yaml && !pristine(stored.yaml)) {
    archived = { yaml: stored.yaml, until: stored.until, t: stored.t, savedAt: typeof stored.savedAt === "number" ? stored.savedAt : now };
    const kept = addDraft(archived);
    if (!kept.ok) return { ok: false, reason: kept.reason, archived: null };
  }
  return { ...saveWork({ ...work, savedAt: now }), archived };
}

// A short name for a draft: its first object's name and its size, e.g. "pod-live-exec, 24 lines".
export function draftLabel(yaml) {
  const name = /^\s*name:\s*["']?([^\s"'#{}[\],]+)/m.exec(yaml)?.[1];
  const lines = yaml === "" ? 0 : yaml.split("\n").length - (yaml.endsWith("\n") ? 1 : 0);
  return `${name ?? "YAML"}, ${lines} line${lines === 1 ? "" : "s"}`;
}

// ---- simulations that were slow or cancelled ----
// Work whose simulation took longer than the page's limit, or was cancelled, is remembered here
// (keyed by a fingerprint of its YAML and its duration, never a copy of the YAML), so that the
// page opens it paused instead of starting that run again: [{key, until, reason: "slow" |
// "cancelled", wallMs, doneMs, savedAt}], newest first.
export const SLOW_RUNS_KEY = "podplay:slow-runs";
export const MAX_SLOW_RUNS = 20;

// A fingerprint of a text: its length and a 53-bit hash of its UTF-16 code units (cyrb53). Not
// cryptographic: a collision only opens some other work paused, and says so.
export function textKey(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

const finite = (x) => (typeof x === "number" && Number.isFinite(x) ? x : 0);

export function loadSlowRuns() {
  const list = read(SLOW_RUNS_KEY);
  if (!Array.isArray(list)) return [];
  return list
    .filter((r) => r && typeof r === "object" && typeof r.key === "string" && typeof r.until === "string" && (r.reason === "slow" || r.reason === "cancelled"))
    .map((r) => ({ key: r.key, until: r.until, reason: r.reason, wallMs: finite(r.wallMs), doneMs: finite(r.doneMs), savedAt: finite(r.savedAt) }))
    .slice(0, MAX_SLOW_RUNS);
}

// The record of `yaml` simulated for `until` (the "Simulate for" text), or null.
export function slowRunOf(yaml, until) {
  const key = textKey(yaml);
  return loadSlowRuns().find((r) => r.key === key && r.until === until) ?? null;
}

// Records that simulating `yaml` for `until` was slow or was cancelled (replacing what was
// recorded for it); the oldest beyond MAX_SLOW_RUNS goes. {ok, reason?}.
export function saveSlowRun({ yaml, until, reason, wallMs, doneMs, savedAt = Date.now() }) {
  const key = textKey(yaml);
  const run = { key, until, reason, wallMs: finite(wallMs), doneMs: finite(doneMs), savedAt };
  return write(SLOW_RUNS_KEY, [run, ...loadSlowRuns().filter((r) => r.key !== key || r.until !== until)].slice(0, MAX_SLOW_RUNS));
}

// Forgets the record of `yaml` for `until` (it simulated quickly this time); writes nothing when
// there is none.
export function forgetSlowRun(yaml, until) {
  const runs = loadSlowRuns();
  const key = textKey(yaml);
  const kept = runs.filter((r) => r.key !== key || r.until !== until);
  return kept.length === runs.length ? { ok: true } : write(SLOW_RUNS_KEY, kept);
}
