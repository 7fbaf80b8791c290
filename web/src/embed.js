// Embed mode (?embed) options and the postMessage API for a page that embeds the playground
// in an iframe. Options (query parameters): panes=editor,timeline,pods,describe,logs,events,status,why,kubectl
// (which panes show; default all), t=SECONDS (start time), autoplay, readonly.
export const PANES = ["editor", "timeline", "pods", "describe", "logs", "events", "status", "why", "kubectl"];

export function readEmbedOptions(search) {
  const q = new URLSearchParams(search);
  const embed = q.has("embed");
  const panes = q.has("panes")
    ? q.get("panes").split(",").map((s) => s.trim()).filter((s) => PANES.includes(s))
    : PANES;
  const t = q.has("t") && q.get("t") !== "" && Number.isFinite(Number(q.get("t"))) ? Number(q.get("t")) : undefined;
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

// Messages: {type:'podplay:load', yaml}, {type:'podplay:seek', t} (seconds),
// {type:'podplay:play'}, {type:'podplay:pause'}, {type:'podplay:get', command, id?}.
// 'get' is answered to the sender with {type:'podplay:result', id, stdout, stderr, exitCode}.
export function installMessageApi(api) {
  addEventListener("message", (e) => {
    const m = e.data;
    if (!m || typeof m !== "object" || typeof m.type !== "string" || !m.type.startsWith("podplay:")) return;
    switch (m.type) {
      case "podplay:load": if (typeof m.yaml === "string") api.load(m.yaml); break;
      case "podplay:seek": if (Number.isFinite(Number(m.t))) api.seek(Number(m.t)); break;
      case "podplay:play": api.play(); break;
      case "podplay:pause": api.pause(); break;
      case "podplay:get": {
        const out = api.get(String(m.command ?? "")) ?? { stdout: "", stderr: "no simulation: the YAML has problems\n", exitCode: 1 };
        const reply = { type: "podplay:result", id: m.id, stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
        // Answer only the sender; an opaque origin ("null") can only be answered with "*".
        if (e.source) e.source.postMessage(reply, { targetOrigin: e.origin && e.origin !== "null" ? e.origin : "*" });
        break;
      }
    }
  });
}
