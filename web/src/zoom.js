// The shown window of the time axis: all of 0..until at zoom 1, a 1/zoom part of it around
// the cursor when zoomed in. Every lane places its pieces through the same view, so the lanes,
// the axis and the cursor line stay aligned; the window moves when the cursor leaves it.

export const ZOOMS = [1, 2, 4, 8, 16, 32, 64];

export function createTimeView() {
  let zoom = 1;
  let until = 1;
  let from = 0;
  const span = () => until / zoom;
  const clampFrom = (f) => Math.max(0, Math.min(until - span(), f));
  const view = {
    get zoom() { return zoom; },
    get from() { return from; },
    get to() { return from + span(); },
    setUntil(ms) { until = Math.max(1, ms); from = clampFrom(from); },
    // Zoom to `z` keeping time `centerMs` at the same place on the tracks (the cursor stays put).
    setZoom(z, centerMs) {
      const next = Math.max(ZOOMS[0], Math.min(ZOOMS[ZOOMS.length - 1], z));
      if (next === zoom) return false;
      const frac = (centerMs - from) / span();
      zoom = next;
      from = clampFrom(centerMs - Math.max(0, Math.min(1, frac)) * span());
      return true;
    },
    zoomIn(centerMs) { return view.setZoom(ZOOMS.find((z) => z > zoom) ?? zoom, centerMs); },
    zoomOut(centerMs) { return view.setZoom([...ZOOMS].reverse().find((z) => z < zoom) ?? zoom, centerMs); },
    // Keeps `ms` in the window (re-centred on it when it left); true when the window moved.
    follow(ms) {
      if (ms >= from && ms <= view.to) return false;
      from = clampFrom(ms - span() / 2);
      return true;
    },
    pct(ms) { return `${((ms - from) / span()) * 100}%`; },
    // A fraction of the track's width back to a time.
    timeAt(fraction) { return from + Math.max(0, Math.min(1, fraction)) * span(); },
    // Places `el` from a to b (clipped to the window); false when none of it is shown.
    place(el, a, b) {
      const lo = Math.max(a, from);
      const hi = Math.min(b, view.to);
      if (hi <= lo) return false;
      el.style.left = view.pct(lo);
      el.style.width = `calc(${((hi - lo) / span()) * 100}% - 1px)`;
      return true;
    },
    // Places a point (tick, marker) at `ms`; false when it is outside the window.
    placeAt(el, ms) {
      if (ms < from || ms > view.to) return false;
      el.style.left = view.pct(ms);
      return true;
    },
  };
  return view;
}
