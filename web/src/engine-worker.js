// The engine's Web Worker (a module worker, bundled by scripts/bundle-editor.mjs): every
// simulation and every kubectl view runs here, so the page's own thread only draws and stays
// responsive to clicks and keys whatever the YAML costs. The page (engine-client.js) starts it
// with {type: "init", glueUrl, module}: the URL of wasm-bindgen's glue that Trunk built (hashed
// name, next to index.html) and the compiled WebAssembly module; engine-jobs.js does the rest.
import { createEngineHost } from "./engine-jobs.js";

// A turn of this worker's event loop: a message to itself on a channel of its own, so that it
// comes after the messages the page sent before it (an abort is read between two slices) and,
// unlike a chain of setTimeout(0), is never clamped to 4 ms.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const turn = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(null); });

let started = null;

async function start({ glueUrl, module }) {
  const glue = await import(glueUrl);
  await glue.default({ module_or_path: module });
  return createEngineHost({ engine: glue, post: (m) => self.postMessage(m), turn });
}

self.addEventListener("message", (e) => {
  const message = e.data;
  if (message?.type === "init") {
    started = start(message);
    started.catch((err) => self.postMessage({ type: "failed", message: `The engine could not start: ${err?.message ?? err}` }));
    return;
  }
  // Calls that arrive while the wasm loads wait for it, in the order they came.
  started?.then((host) => host.receive(message), () => {});
});
