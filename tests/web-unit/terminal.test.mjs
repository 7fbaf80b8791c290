// Unit tests of web/src/terminal.js's pure parts: splitting, classifying and Tab completion,
// with the vocabulary and object names in the shapes the engine's `vocabulary()` and
// `objectNames()` return (podplay-kubectl's vocabulary_comes_from_the_parse_tables pins them).
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { splitWords, classify, stepCommand, completions, shellWord, shellExplanation } from "../../web/src/terminal.js";

const vocab = {
  readVerbs: ["get", "describe", "logs"],
  mutatingVerbs: ["exec", "delete", "apply", "create", "label", "cordon", "uncordon", "drain"],
  mutatingSubcommands: { rollout: ["undo", "pause", "resume", "restart"] },
  flags: { get: ["-n", "--namespace", "-o", "--output", "-w", "--watch"], exec: ["-n", "--namespace", "-c", "--container", "--"] },
  kinds: [["pods", "pod"], ["pod", "pod"], ["po", "pod"], ["services", "service"], ["svc", "service"], ["ep", "endpoints"], ["nodes", "node"], ["node", "node"]],
  outputs: ["wide", "yaml", "json", "name"],
};
const names = { pod: ["web-0", "web-1", "db"], node: ["node-1"], service: ["web"], containers: { "web-0": ["init", "app"], db: ["db"] } };
const complete = (line) => completions(line, names, vocab).candidates;

test("splitWords splits as a shell does and keeps an open quote as the last word", () => {
  assert.deepEqual(splitWords(`exec p -- sh -c 'echo "a b"'`), { words: ["exec", "p", "--", "sh", "-c", 'echo "a b"'], trailing: false });
  assert.deepEqual(splitWords("get pods "), { words: ["get", "pods"], trailing: true });
  assert.deepEqual(splitWords("logs 'we"), { words: ["logs", "we"], trailing: false });
});

test("classify: the engine's mutating verbs are tried as changes (a step only if they changed the cluster), the rest reads", () => {
  assert.equal(classify("kubectl delete pod web-0", vocab), "change");
  assert.equal(classify("create -f -", vocab), "change");
  assert.equal(classify("exec web-0 -- ls", vocab), "change");
  assert.equal(classify("podplay node disconnect node-1", vocab), "change");
  assert.equal(classify("get pods", vocab), "read");
  assert.equal(classify("kubectl rollout undo deployment/web", vocab), "change");
  assert.equal(classify("rollout pause deployment/web", vocab), "change");
  assert.equal(classify("rollout history deployment/web", vocab), "read");
  assert.equal(classify("rollout status deployment/web", vocab), "read");
  assert.equal(classify("  ", vocab), "empty");
  assert.equal(classify("clear", vocab), "clear");
  assert.equal(stepCommand("delete pod x"), "kubectl delete pod x");
  assert.equal(stepCommand("podplay node reconnect node-1"), "podplay node reconnect node-1");
});

test("Tab completion: verbs, kinds, names, flags, -o formats and containers", () => {
  assert.deepEqual(complete("de"), ["delete", "describe"]);
  assert.deepEqual(complete("get s"), ["services", "svc"]);
  assert.deepEqual(complete("get pods web"), ["web-0", "web-1"]);
  assert.deepEqual(complete("get svc/"), ["svc/web"]);
  assert.deepEqual(complete("get ep "), ["web"], "endpoints are named after their Service");
  assert.deepEqual(complete("get pods --w"), ["--watch"]);
  assert.deepEqual(complete("get pods -o j"), ["json"]);
  assert.deepEqual(complete("exec web-0 -c "), ["app", "init"]);
  assert.deepEqual(complete("cordon "), ["node-1"]);
  assert.deepEqual(complete("podplay node disconnect "), ["node-1"]);
  assert.deepEqual(complete("exec web-0 -- s"), [], "nothing after --");
});

test("shellWord writes any name as one word: plain names as they are, others single-quoted", () => {
  for (const plain of ["web-0", "pod/web-0", "node-1", "a.b_c", "--output=", "x:1", "svc,ep"]) assert.equal(shellWord(plain), plain);
  const nasty = ["a b", "it's", "<img src=x onerror=alert('x')>", "", "$(rm -rf ~)", 'say "hi"', "back\\slash", "tab\there", "new\nline", "é", "'", "''"];
  for (const name of nasty) {
    const word = shellWord(name);
    assert.ok(word.startsWith("'") && word.endsWith("'"), word);
    assert.deepEqual(splitWords(`logs ${word} -c app`).words, ["logs", name, "-c", "app"], JSON.stringify(name));
  }
  assert.equal(shellWord("it's"), "'it'\\''s'");
});

test("shellExplanation says what is possible instead of an interactive shell, with the pod and container as words", () => {
  const text = shellExplanation({ pod: "web-0", container: "app", shell: "sh" });
  assert.match(text, /^podplay does not simulate an interactive shell/);
  assert.match(text, /kubectl exec web-0 -c app -- sh -c 'ls -l \/; cat \/etc\/hostname'/);
  assert.match(shellExplanation({ pod: "a b", container: null, shell: "bash" }), /kubectl exec 'a b' -- bash -c/);
});
