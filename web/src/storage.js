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
