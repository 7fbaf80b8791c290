// How an embedded playground fits the frame around it: it tells the framing page its content
// height whenever that changes ({type: 'podplay:resize', height}, docs/embed.md), so the page can
// size the iframe to it, and autoplay brings the playing view (the cursor and the lanes) into the
// frame's view before it plays.

// The document's full content height in CSS px: the <html> box, which (unlike the scrolling
// element's scrollHeight) does not grow to fill a frame taller than the content, or what
// overflows <body>, whichever is more.
export function contentHeight(doc = document) {
  const html = doc.documentElement.getBoundingClientRect().height;
  return Math.ceil(Math.max(html, doc.body?.scrollHeight ?? 0));
}

// Posts the height at most once per frame, and only when it differs from the last one posted.
//   measure() -> px; post(px); schedule(fn): runs fn before the next frame (requestAnimationFrame).
// changed(): something may have moved; resend(): post the height now even if unchanged (for a
// parent that starts listening late, e.g. after 'podplay:ready').
export function createHeightReporter({ measure, post, schedule }) {
  let last = null;
  let pending = false;
  const send = () => {
    pending = false;
    const height = measure();
    if (height === last) return;
    last = height;
    post(height);
  };
  return {
    changed() {
      if (pending) return;
      pending = true;
      schedule(send);
    },
    resend() {
      last = measure();
      post(last);
    },
  };
}

// Without a frame to run in (the browser skips the frames of a cross-origin iframe that is out
// of view, and with them requestAnimationFrame and ResizeObserver), a measurement waits at most
// this long: the parent still hears of a page that grew while the reader was elsewhere.
export const FALLBACK_MS = 200;

// Reports the document's height through post(height) whenever <html> or <body> changes size, or
// the page changes what it shows (a mutation: the same page out of view, where no resize is
// observed until it comes back).
export function watchHeight(post, { doc = document, win = globalThis } = {}) {
  const schedule = (fn) => {
    let ran = false;
    const once = () => {
      if (ran) return;
      ran = true;
      fn();
    };
    win.requestAnimationFrame(once);
    win.setTimeout(once, FALLBACK_MS);
  };
  const reporter = createHeightReporter({ measure: () => contentHeight(doc), post, schedule });
  const resizes = new win.ResizeObserver(() => reporter.changed());
  resizes.observe(doc.documentElement);
  resizes.observe(doc.body);
  new win.MutationObserver(() => reporter.changed()).observe(doc.body, { childList: true, subtree: true, characterData: true, attributes: true });
  return reporter;
}

// The scroll position (document px) that brings a box [top, top + height) into a view
// [viewTop, viewTop + viewHeight): its top a margin below the view's top; null when the box is
// in view already. A box taller than the view shows from its top.
export function scrollToShow({ viewTop, viewHeight, top, height, margin = 8 }) {
  if (top >= viewTop && top + height <= viewTop + viewHeight) return null;
  return Math.max(0, Math.floor(top - margin));
}

// Scrolls this document (and only it: scrollIntoView would scroll the page around the frame as
// well) so that the elements shown, taken together, are in view.
export function bringIntoView(elements, win = globalThis) {
  const boxes = elements.filter((el) => el && el.getClientRects().length > 0).map((el) => el.getBoundingClientRect());
  if (!boxes.length) return;
  const top = Math.min(...boxes.map((b) => b.top)) + win.scrollY;
  const bottom = Math.max(...boxes.map((b) => b.bottom)) + win.scrollY;
  const y = scrollToShow({ viewTop: win.scrollY, viewHeight: win.innerHeight, top, height: bottom - top });
  if (y !== null) win.scrollTo({ top: y, behavior: "instant" });
}
