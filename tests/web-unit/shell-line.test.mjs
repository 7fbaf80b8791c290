// Unit tests of web/src/shell-line.js: what the terminal's line holds besides kubectl's words
// (pipes, heredocs, refused operators), the filters grep/head/tail/wc/sort on kubectl's output, a
// paste of several lines, the interactive shell it explains, and taking back a step it added.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { breToJs, interactiveShell, makeFilter, parseLine, pasteLines, runFilters, undoEdit } from "../../web/src/shell-line.js";

const PODS = `NAME     READY   STATUS             RESTARTS      AGE
web-a    1/1     Running            0             90s
web-b    0/1     Running            0             90s
client   1/1     Running            0             90s
crash    0/1     CrashLoopBackOff   4 (20s ago)   90s
`;

const pipe = (line, text = PODS) => {
  const parsed = parseLine(line);
  assert.equal(parsed.error, undefined, parsed.error);
  return runFilters(text, parsed.filters);
};
const refused = (line) => {
  const parsed = parseLine(line);
  assert.ok(parsed.error, `${line} is refused`);
  return parsed.error;
};

test("parseLine: the kubectl command before the first unquoted |, quotes kept for kubectl", () => {
  assert.deepEqual(parseLine("get pods"), { command: "get pods", filters: [], heredoc: null });
  const p = parseLine("get pod web-a | grep Running");
  assert.equal(p.command, "get pod web-a");
  assert.deepEqual(p.filters.map((f) => f.words), [["grep", "Running"]]);
  const quoted = parseLine(`exec web-a -- sh -c 'ps | grep nginx; echo "a|b" > /tmp/x'`);
  assert.equal(quoted.command, `exec web-a -- sh -c 'ps | grep nginx; echo "a|b" > /tmp/x'`);
  assert.deepEqual(quoted.filters, []);
  assert.equal(parseLine(String.raw`exec p -- echo a\|b`).filters.length, 0, "an escaped | is a character");
  assert.equal(parseLine("get pods -l 'app in (a,b)' --field-selector status.phase!=Running").filters.length, 0);
});

test("parseLine: anything the terminal cannot run after | or around the command is refused, clearly", () => {
  assert.match(refused("get pods | xargs kubectl delete pod"), /cannot run "xargs" here: after \| the terminal applies grep, head, tail, wc, sort/);
  assert.match(refused("get pods | "), /a pipe needs a command after \|/);
  assert.match(refused("| grep x"), /a kubectl command before \|/);
  assert.match(refused("get pods || true"), /one kubectl command at a time/);
  assert.match(refused("get pods; delete pod x"), /without `;`/);
  assert.match(refused("delete pod x && get pods"), /`&` or `&&`/);
  assert.match(refused("get pods > pods.txt"), /redirections/);
  assert.match(refused("get pods | grep -P x"), /grep: the terminal's grep knows .*not -P/);
  assert.match(refused("get pods | head -n x"), /head: invalid number of lines/);
  assert.match(refused("get pods | grep"), /grep: a pattern is needed/);
  assert.match(refused("get pods | grep 'a(' -E"), /not a pattern grep reads/);
});

test("parseLine: a heredoc's delimiter, quoted or not, and the command without it", () => {
  assert.deepEqual(parseLine("apply -f - <<EOF"), { command: "apply -f -", filters: [], heredoc: "EOF" });
  assert.equal(parseLine("kubectl apply -f - <<'END'").heredoc, "END");
  assert.equal(parseLine(`create -f - <<-"X"`).heredoc, "X");
  assert.equal(parseLine("apply -f - << EOF").heredoc, "EOF");
  assert.equal(parseLine("apply -f - <<EOF | grep created").filters[0].name, "grep");
  assert.match(refused("apply -f - <<"), /heredoc/);
});

test("grep: lines that match, -v, -i, -c, -n, -w, -x, -E, -F, -e; a basic regular expression as grep reads it", () => {
  assert.equal(pipe("get pods | grep CrashLoop"), "crash    0/1     CrashLoopBackOff   4 (20s ago)   90s\n");
  assert.equal(pipe("get pods | grep -c Running"), "3\n");
  assert.equal(pipe("get pods | grep -v Running | grep -vc NAME"), "1\n");
  assert.equal(pipe("get pods | grep -i running | wc -l"), "3\n");
  assert.equal(pipe("get pods | grep -n client"), "4:client   1/1     Running            0             90s\n");
  assert.equal(pipe("x | grep '^web-[ab] '", PODS).split("\n").length - 1, 2);
  assert.equal(pipe(String.raw`x | grep 'web-a\|client' | wc -l`), "2\n");
  assert.equal(pipe("x | grep -E 'web-a|client' | wc -l"), "2\n");
  assert.equal(pipe("x | grep '(20s' | wc -l"), "1\n", "( is itself in a basic expression");
  assert.equal(pipe("x | grep -F '1/1' | wc -l"), "2\n");
  assert.equal(pipe("x | grep -e -v", "a\n-v b\n"), "-v b\n");
  assert.equal(pipe("x | grep -w web", "web-a\nweb\nwebs\n"), "web-a\nweb\n");
  assert.equal(pipe("x | grep -x web", "web-a\nweb\n"), "web\n");
  assert.equal(pipe("x | grep nothing"), "");
  assert.equal(breToJs(String.raw`a\+b+\(c\)(d)`), String.raw`a+b\+(c)\(d\)`);
  assert.equal(breToJs("[]a|]x"), String.raw`[\]a|]x`);
  assert.equal(breToJs("[^]]"), String.raw`[^\]]`);
});

test("head, tail, wc, sort as coreutils print them", () => {
  assert.equal(pipe("x | head -n 2"), PODS.split("\n").slice(0, 2).join("\n") + "\n");
  assert.equal(pipe("x | head -1"), PODS.split("\n")[0] + "\n");
  assert.equal(pipe("x | tail -n 1"), "crash    0/1     CrashLoopBackOff   4 (20s ago)   90s\n");
  assert.equal(pipe("x | tail -n +5"), "crash    0/1     CrashLoopBackOff   4 (20s ago)   90s\n");
  assert.equal(pipe("x | tail -0"), "");
  assert.equal(pipe("x | head"), PODS, "10 lines by default");
  assert.equal(pipe("x | wc -l"), "5\n");
  assert.equal(pipe("x | wc", "a b\nc\n"), "      2       3       6\n");
  assert.equal(pipe("x | wc -lw", "a b\nc\n"), "      2       3\n");
  assert.equal(pipe("x | wc -c", "é\n"), "3\n", "bytes, not characters");
  assert.equal(pipe("x | sort", "b\na\nB\n"), "B\na\nb\n", "byte order, as LC_ALL=C");
  assert.equal(pipe("x | sort -r", "b\na\nc\n"), "c\nb\na\n");
  assert.equal(pipe("x | sort -n", "10 x\n9 y\n-1 z\n"), "-1 z\n9 y\n10 x\n");
  assert.equal(pipe("x | sort -u", "b\na\nb\n"), "a\nb\n");
  assert.equal(pipe("x | sort -k 2", "x 2\ny 1\n"), "y 1\nx 2\n");
  assert.equal(pipe("x | sort -k2 -rn", "x 2\ny 10\n"), "y 10\nx 2\n");
  assert.equal(pipe("x | grep Running | sort | head -n 1"), "client   1/1     Running            0             90s\n");
  assert.equal(pipe("x | wc -l", ""), "0\n");
  assert.equal(makeFilter(["constructor"]).error, 'the terminal cannot run "constructor" here: after | the terminal applies grep, head, tail, wc, sort to what kubectl printed');
});

test("pasteLines: whole lines to run, the rest left at the prompt; a paste without a line break is the input's", () => {
  const manifest = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: x\r\n";
  assert.deepEqual(pasteLines("", 0, 0, manifest), { lines: ["apiVersion: v1", "kind: Pod", "metadata:", "  name: x"], rest: "" });
  assert.deepEqual(pasteLines("apply -f - ", 11, 11, "<<EOF\nkind: Pod\nEOF"), { lines: ["apply -f - <<EOF", "kind: Pod"], rest: "EOF" });
  assert.deepEqual(pasteLines("get XX", 4, 6, "pods\n"), { lines: ["get pods"], rest: "" });
  assert.equal(pasteLines("get ", 4, 4, "pods"), null);
});

test("interactiveShell: exec of a bare shell, with its pod and container; a command is no shell session", () => {
  assert.deepEqual(interactiveShell(["exec", "-it", "web-a", "--", "sh"]), { pod: "web-a", container: null, shell: "sh" });
  assert.deepEqual(interactiveShell(["exec", "-i", "-t", "pod/web-a", "-c", "nginx", "--", "/bin/bash", "-l"]), { pod: "web-a", container: "nginx", shell: "/bin/bash" });
  assert.deepEqual(interactiveShell(["exec", "-n", "default", "web-a", "--", "sh"]), { pod: "web-a", container: null, shell: "sh" });
  assert.equal(interactiveShell(["exec", "-it", "web-a", "--", "sh", "-c", "ls"]), null);
  assert.equal(interactiveShell(["exec", "web-a", "--", "ls"]), null);
  assert.equal(interactiveShell(["delete", "pod", "sh"]), null);
});

test("undoEdit takes back exactly the step added: at once, or after other edits elsewhere; else null", () => {
  const before = "kind: Pod\n---\nkind: Scenario\nspec:\n  steps:\n  - at: 10s\n    run: kubectl get pods\n";
  const step = "  - at: 30s\n    run: kubectl delete pod web\n";
  const after = before + step;
  assert.equal(undoEdit(before, after, after), before);
  const edited = after.replace("kind: Pod", "kind: Pod # edited");
  assert.equal(undoEdit(before, after, edited), before.replace("kind: Pod", "kind: Pod # edited"));
  const later = after + "  - at: 40s\n    run: kubectl delete pod other\n";
  assert.equal(undoEdit(before, after, later), before + "  - at: 40s\n    run: kubectl delete pod other\n");
  assert.equal(undoEdit(before, after, before), null, "already gone");
  assert.equal(undoEdit(before, after, after + step), null, "twice: which one is not known");
  const scaffold = "kind: Pod\n";
  const withScenario = scaffold + "---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - at: 1s\n    run: kubectl delete pod x\n";
  assert.equal(undoEdit(scaffold, withScenario, "# mine\n" + withScenario), "# mine\n" + scaffold);
});
