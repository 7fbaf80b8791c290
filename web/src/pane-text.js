// What a pane shows of a command's output: all of it, or, for an output too large to lay out
// without holding the page (`kubectl logs` of a `yes` pod prints millions of lines), its last
// lines and how many earlier ones were left out. The command shown above the pane is still the
// one that printed all of it; the pane says what it left out.

// At most this many lines, and this many characters, are put in a pane.
export const PANE_MAX_LINES = 5000;
export const PANE_MAX_CHARS = 512 * 1024;

// {shown, omitted}: `text`'s tail that fits both bounds, starting at a line's start, and the
// number of whole lines before it.
export function paneTail(text, maxLines = PANE_MAX_LINES, maxChars = PANE_MAX_CHARS) {
  if (text.length <= maxChars && countLines(text) <= maxLines) return { shown: text, omitted: 0 };
  // Walk back from the end over at most `maxLines` line starts, within `maxChars`.
  const body = text.endsWith("\n") ? text.length - 1 : text.length;
  let start = text.length;
  let lines = 0;
  let searchFrom = body - 1;
  while (lines < maxLines) {
    const nl = searchFrom < 0 ? -1 : text.lastIndexOf("\n", searchFrom);
    const lineStart = nl + 1;
    if (text.length - lineStart > maxChars) break;
    start = lineStart;
    lines += 1;
    if (nl < 0) break;
    searchFrom = nl - 1;
  }
  if (lines === 0) {
    // One line longer than the bound: its end.
    return { shown: text.slice(text.length - maxChars), omitted: countLines(text.slice(0, text.length - maxChars)) };
  }
  return { shown: text.slice(start), omitted: countLines(text.slice(0, start)) };
}

// Lines in `text`, a last one without its newline included.
export function countLines(text) {
  if (!text) return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n += 1;
  return text.endsWith("\n") ? n : n + 1;
}

// The line a pane or the terminal shows above an output's tail.
export const omittedNote = (omitted) => `… ${omitted.toLocaleString("en-US")} earlier lines not shown here (the command prints them all)\n`;
