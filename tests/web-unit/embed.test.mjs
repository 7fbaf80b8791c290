// Unit tests of web/src/embed.js: the options of embed mode read from the query string.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { PANES, readEmbedOptions } from "../../web/src/embed.js";

test("the panes are the editor first, then the result panes", () => {
  assert.deepEqual(PANES, ["editor", "timeline", "pods", "describe", "logs", "events", "status", "why", "kubectl"]);
});

test("no query: not embedded, every pane, no start time, neither autoplay nor read-only", () => {
  for (const search of ["", "?"]) {
    assert.deepEqual(readEmbedOptions(search), { embed: false, panes: PANES, t: undefined, autoplay: false, readonly: false }, JSON.stringify(search));
  }
});

test("?embed alone: embedded with every pane", () => {
  assert.deepEqual(readEmbedOptions("?embed"), { embed: true, panes: PANES, t: undefined, autoplay: false, readonly: false });
  assert.equal(readEmbedOptions("?embed=0").embed, true, "embed is a flag: any value turns it on");
});

test("every option at once", () => {
  assert.deepEqual(readEmbedOptions("?embed&panes=editor,timeline,kubectl&t=90&readonly&autoplay"), {
    embed: true,
    panes: ["editor", "timeline", "kubectl"],
    t: 90,
    autoplay: true,
    readonly: true,
  });
  assert.deepEqual(readEmbedOptions("embed&autoplay"), { embed: true, panes: PANES, t: undefined, autoplay: true, readonly: false }, "without the ?");
});

test("panes keeps the given order, trims spaces, and drops names it does not know", () => {
  assert.deepEqual(readEmbedOptions("?embed&panes=logs,pods").panes, ["logs", "pods"]);
  assert.deepEqual(readEmbedOptions("?embed&panes=%20pods%20,%20events").panes, ["pods", "events"]);
  assert.deepEqual(readEmbedOptions("?embed&panes=pods,terminal,Pods,,editor").panes, ["pods", "editor"], "unknown, wrong case and empty names");
  assert.deepEqual(readEmbedOptions("?embed&panes=nothing").panes, []);
  assert.deepEqual(readEmbedOptions("?embed&panes=").panes, [], "today an empty panes= shows no pane at all (not every pane)");
});

test("t is a number of seconds; a t that is not a finite number is left out", () => {
  assert.equal(readEmbedOptions("?embed&t=30").t, 30);
  assert.equal(readEmbedOptions("?embed&t=12.5").t, 12.5);
  assert.equal(readEmbedOptions("?embed&t=0").t, 0);
  for (const bad of ["t=", "t=abc", "t=90s", "t=Infinity", "t=NaN"]) assert.equal(readEmbedOptions(`?embed&${bad}`).t, undefined, bad);
});

test("the options are read without ?embed too (the page applies them only when embedded)", () => {
  assert.deepEqual(readEmbedOptions("?panes=pods&t=5&readonly"), { embed: false, panes: ["pods"], t: 5, autoplay: false, readonly: true });
});
