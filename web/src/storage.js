// The work kept in this browser (localStorage): the YAML, the simulated duration and the
// cursor, restored when the page opens without a link (a link in the fragment wins).
const KEY = "podplay:work";

export function loadWork() {
  try {
    const w = JSON.parse(localStorage.getItem(KEY) ?? "null");
    if (w && typeof w === "object" && typeof w.yaml === "string") return w;
  } catch { /* storage off, or broken JSON: start fresh */ }
  return null;
}

export function saveWork(work) {
  try { localStorage.setItem(KEY, JSON.stringify(work)); } catch { /* storage off or full */ }
}
