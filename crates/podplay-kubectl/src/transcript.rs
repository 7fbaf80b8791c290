//! The corpus format of real-cluster transcripts (`tests/transcripts/*.txt`), the masks that
//! take out what differs from one cluster to the next, and the tolerant comparison of kubectl's
//! texts that `podplay compare` prints.
//!
//! A transcript is a header of `key: value` lines, then sections that each start with a line
//! beginning `=== `:
//!
//! ```text
//! podplay-transcript: 1
//! source: https://kubernetes.io/docs/... (kubernetes/website content/en/...md at COMMIT)
//! release: v1.29.2                     the server's `kubectl version`
//! node: kind-control-plane             each node's name (masked), repeatable
//! namespace: podplay-liveness-exec     the real namespace, read as the manifest's (optional)
//! tolerance: 10s: why                  ages and durations (default 3s; the reason is required)
//! note: free text                      repeatable
//! === manifest
//! (the YAML podplay simulates: what was applied, plus podplay-only documents that describe the
//! cluster, such as a Node without the image or a Scenario's steps)
//! === at 35s: kubectl describe pod liveness-exec
//! (what kubectl printed at 35 s after the apply; a line `...` stands for any lines the source
//! left out)
//! === at 2m: kubectl get pods ### differs: theme 2: a restart a second later on the real node
//! === step at 100.2s: kubectl exec web -- rm /usr/share/nginx/html/index.html
//! (what a Scenario step printed)
//! ```
//!
//! A capture marked `### differs: ...` is a known difference: the corpus test requires it to
//! differ (so a fix shows), every other capture to match.

use podplay_core::{parse_duration, Millis};

/// The tolerance on ages and durations when the transcript states none.
pub const DEFAULT_TOLERANCE: Millis = 3_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub source: String,
    pub release: String,
    pub nodes: Vec<String>,
    pub namespace: Option<String>,
    pub tolerance: Millis,
    /// Why the tolerance is wider than the default.
    pub tolerance_reason: Option<String>,
    pub notes: Vec<String>,
    pub manifest: String,
    pub captures: Vec<Capture>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Virtual time since the apply.
    pub at: Millis,
    /// The command line as typed: `kubectl get pods`.
    pub command: String,
    /// A Scenario step's output rather than a read at a moment.
    pub step: bool,
    /// What kubectl printed (stdout then stderr), each line ending in `\n`.
    pub output: String,
    /// A known difference: its theme and explanation.
    pub differs: Option<String>,
    /// The 1-based line of its `===` header in the file.
    pub line: usize,
}

/// Reads a transcript; errors name the line.
pub fn parse(text: &str) -> Result<Transcript, String> {
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    let mut t = Transcript {
        source: String::new(),
        release: String::new(),
        nodes: Vec::new(),
        namespace: None,
        tolerance: DEFAULT_TOLERANCE,
        tolerance_reason: None,
        notes: Vec::new(),
        manifest: String::new(),
        captures: Vec::new(),
    };
    let mut version = None;
    while let Some((_, line)) = lines.peek() {
        if line.starts_with("=== ") {
            break;
        }
        let (i, line) = lines.next().expect("peeked");
        let line = line.trim_end_matches('\n');
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ").ok_or_else(|| format!("line {}: expected `key: value`, found {line:?}", i + 1))?;
        let value = value.trim().to_string();
        match key {
            "podplay-transcript" => version = Some(value),
            "source" => t.source = value,
            "release" => t.release = value,
            "node" => t.nodes.push(value),
            "namespace" => t.namespace = Some(value),
            "recorded" => {}
            "note" => t.notes.push(value),
            "tolerance" => {
                let (d, reason) = value.split_once(": ").map(|(d, r)| (d, Some(r.to_string()))).unwrap_or((&value, None));
                t.tolerance = parse_duration(d).map_err(|e| format!("line {}: {e}", i + 1))?;
                if t.tolerance > DEFAULT_TOLERANCE && reason.is_none() {
                    return Err(format!("line {}: a tolerance wider than 3s needs its reason (`tolerance: 10s: why`)", i + 1));
                }
                t.tolerance_reason = reason;
            }
            _ => return Err(format!("line {}: unknown key {key:?}", i + 1)),
        }
    }
    if version.as_deref() != Some("1") {
        return Err("line 1: a transcript starts with `podplay-transcript: 1`".to_string());
    }
    for (key, value) in [("source", &t.source), ("release", &t.release)] {
        if value.is_empty() {
            return Err(format!("the header has no `{key}:`"));
        }
    }
    let mut seen_manifest = false;
    while let Some((i, header)) = lines.next() {
        let header = header.trim_end_matches('\n');
        let mut body = String::new();
        while let Some((_, l)) = lines.peek() {
            if l.starts_with("=== ") {
                break;
            }
            body.push_str(lines.next().expect("peeked").1);
        }
        if !body.is_empty() && !body.ends_with('\n') {
            body.push('\n');
        }
        let rest = header.strip_prefix("=== ").expect("a section starts with ===");
        if rest == "manifest" {
            if seen_manifest {
                return Err(format!("line {}: a second manifest", i + 1));
            }
            seen_manifest = true;
            t.manifest = body;
            continue;
        }
        let (step, rest) = match rest.strip_prefix("step at ") {
            Some(r) => (true, r),
            None => (
                false,
                rest.strip_prefix("at ")
                    .ok_or_else(|| format!("line {}: expected `=== manifest`, `=== at T: COMMAND` or `=== step at T: COMMAND`", i + 1))?,
            ),
        };
        let (at, command) = rest.split_once(": ").ok_or_else(|| format!("line {}: expected `at T: COMMAND`", i + 1))?;
        let at = parse_duration(at).map_err(|e| format!("line {}: {e}", i + 1))?;
        let (command, differs) = match command.split_once(" ### ") {
            Some((c, mark)) => {
                let why =
                    mark.strip_prefix("differs: ").ok_or_else(|| format!("line {}: a mark reads `### differs: THEME: WHY`", i + 1))?;
                (c, Some(why.to_string()))
            }
            None => (command, None),
        };
        if !command.starts_with("kubectl ") {
            return Err(format!("line {}: {command:?} is not a kubectl command", i + 1));
        }
        t.captures.push(Capture { at, command: command.to_string(), step, output: body, differs, line: i + 1 });
    }
    if !seen_manifest {
        return Err("no `=== manifest` section".to_string());
    }
    Ok(t)
}

/// What the masks replace, from both sides: the transcript's namespace (read as `default`) and
/// nodes, and the simulation's nodes.
#[derive(Debug, Clone, Default)]
pub struct Masks {
    pub namespace: Option<(String, String)>,
    pub nodes: Vec<String>,
}

/// Takes out of kubectl's text what differs from one cluster (or one run) to the next: IPs,
/// UIDs, container and image IDs, times of day, generated name suffixes (pod-template hashes,
/// the 5-character random suffixes of generated names and token volumes), node names, and image
/// pull durations and sizes.
pub fn mask(text: &str, masks: &Masks) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut l = line.to_string();
        if let Some((from, to)) = &masks.namespace {
            l = replace_word(&l, from, to);
        }
        for n in &masks.nodes {
            l = replace_word(&l, n, "<node>");
        }
        if let Some(p) = l.find("Image ID:") {
            let value_at = p + "Image ID:".len();
            let value = l[value_at..].trim();
            if !value.is_empty() {
                let pad: String = l[value_at..].chars().take_while(|c| *c == ' ').collect();
                l = format!("{}{pad}<image-id>\n", &l[..value_at]);
            }
        }
        l = mask_pull(&l);
        l = mask_tokens(&l);
        out.push_str(&l);
    }
    out
}

/// `Successfully pulled image "x" in 1.2s (1.2s including waiting)` and `Image size: N bytes.`
fn mask_pull(line: &str) -> String {
    let mut l = line.to_string();
    if let Some(p) = l.find("Successfully pulled image ") {
        if let Some(q) = l[p..].find("\" in ").map(|q| p + q + 5) {
            let end = l[q..].find([' ', '\n']).map_or(l.len(), |e| q + e);
            l.replace_range(q..end, "<duration>");
        }
        if let Some(q) = l.find(" including waiting)") {
            if let Some(open) = l[..q].rfind('(') {
                l.replace_range(open + 1..q, "<duration>");
            }
        }
        if let Some(q) = l.find("Image size: ") {
            let start = q + "Image size: ".len();
            let end = l[start..].find(' ').map_or(l.len(), |e| start + e);
            l.replace_range(start..end, "<size>");
        }
    }
    l
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
}

/// Replaces `from` where it stands as a whole name (not inside a longer one).
fn replace_word(line: &str, from: &str, to: &str) -> String {
    if from.is_empty() || !line.contains(from) {
        return line.to_string();
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(p) = rest.find(from) {
        let before = rest[..p].chars().next_back();
        let after = rest[p + from.len()..].chars().next();
        let whole = !before.is_some_and(is_word_char) && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        out.push_str(&rest[..p]);
        out.push_str(if whole { to } else { from });
        rest = &rest[p + from.len()..];
    }
    out.push_str(rest);
    out
}

/// The alphabet of Kubernetes' generated suffixes (`rand.String`, `SafeEncodeString`): no
/// vowels, no 0, 1 or 3.
const SAFE: &str = "bcdfghjklmnpqrstvwxz2456789";

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Masks a maximal run of name characters, in place: UIDs, IPs, IDs, times, suffixes.
fn mask_tokens(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let b = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        // Times of day: `Mon, 05 Jan 2026 09:00:00 +0000` and `2026-01-05T09:00:00Z`.
        if let Some(n) = rfc1123z_len(&line[i..]).or_else(|| rfc3339_len(&line[i..])) {
            if i == 0 || !b[i - 1].is_ascii_alphanumeric() {
                out.push_str("<time>");
                i += n;
                continue;
            }
        }
        let c = line[i..].chars().next().expect("in range");
        if !(c.is_ascii_alphanumeric() || c == '.' || c == ':' || c == '/' || c == '-' || c == '_') {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let end = line[i..].find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:/@".contains(c))).map_or(line.len(), |e| i + e);
        out.push_str(&mask_run(&line[i..end]));
        i = end;
    }
    out
}

/// One run of name characters (`containerd://abc`, `10.244.0.5:8080`, `web-7c5ddbdf54-x7zvf`).
fn mask_run(run: &str) -> String {
    for scheme in ["containerd://", "docker://", "cri-o://"] {
        if let Some(id) = run.strip_prefix(scheme) {
            if is_hex(id) {
                return "<container-id>".to_string();
            }
        }
    }
    let mut out = String::new();
    // Split further on ':' '/' '@' '_' so that `10.244.0.5:80`, `default/web-abcde`,
    // `busybox@sha256:...` and the kubelet's `web-7c5ddbdf54-x7zvf_default(UID)` (format.Pod, in
    // its BackOff messages) mask part by part.
    let mut start = 0;
    for (p, c) in run.char_indices().chain(std::iter::once((run.len(), ' '))) {
        if p == run.len() || c == ':' || c == '/' || c == '@' || c == '_' {
            out.push_str(&mask_part(&run[start..p], &run[..start]));
            if p < run.len() {
                out.push(c);
            }
            start = p + c.len_utf8();
        }
    }
    out
}

fn mask_part(part: &str, before: &str) -> String {
    if part.is_empty() {
        return String::new();
    }
    if before.ends_with("sha256:") && is_hex(part) {
        return "<digest>".to_string();
    }
    if is_uid(part) {
        return "<uid>".to_string();
    }
    if is_ipv4(part) {
        return "<ip>".to_string();
    }
    // A hash standing alone (`pod-template-hash=7c5ddbdf54`).
    if (6..=10).contains(&part.len()) && generated(part) && part.chars().any(|c| c.is_ascii_alphabetic()) {
        return "<gen>".to_string();
    }
    // Generated suffixes: `-<hash>` and `-<random>` segments at the end of a name.
    let segments: Vec<&str> = part.split('-').collect();
    if segments.len() >= 2 {
        let mut keep = segments.len();
        while keep > 1 && generated(segments[keep - 1]) && segments.len() - keep < 2 {
            keep -= 1;
        }
        if keep < segments.len() {
            let mut out = segments[..keep].join("-");
            for _ in keep..segments.len() {
                out.push_str("-<gen>");
            }
            return out;
        }
    }
    part.to_string()
}

/// A segment Kubernetes generated: 5 to 10 characters of its safe alphabet with a digit, or 5
/// of them (a random suffix, which may be all letters).
fn generated(s: &str) -> bool {
    (5..=10).contains(&s.len()) && s.chars().all(|c| SAFE.contains(c)) && (s.len() == 5 || s.chars().any(|c| c.is_ascii_digit()))
}

fn is_uid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && is_hex(p))
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `Mon, 05 Jan 2026 09:00:00 +0000`
fn rfc1123z_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 31 {
        return None;
    }
    let ok = b[..3].iter().all(u8::is_ascii_alphabetic)
        && &b[3..5] == b", "
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b' '
        && b[8..11].iter().all(u8::is_ascii_alphabetic)
        && b[11] == b' '
        && b[12..16].iter().all(u8::is_ascii_digit)
        && b[16] == b' '
        && clock(&b[17..25])
        && b[25] == b' '
        && (b[26] == b'+' || b[26] == b'-')
        && b[27..31].iter().all(u8::is_ascii_digit);
    ok.then_some(31)
}

/// `2026-01-05T09:00:00Z`
fn rfc3339_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let ok = b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && clock(&b[11..19]) && b[19] == b'Z';
    ok.then_some(20)
}

fn clock(b: &[u8]) -> bool {
    b.len() == 8 && b[2] == b':' && b[5] == b':' && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit())
}

/// A duration kubectl prints (`57s`, `2m30s`, `3h`, `5d`, `2y`), in milliseconds, with the
/// granularity of its smallest unit.
fn duration_of(token: &str) -> Option<(Millis, Millis)> {
    if token.is_empty() || !token.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut total: Millis = 0;
    let mut grain = 0;
    let mut rest = token;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len) = if rest.starts_with("ms") {
            (1, 2)
        } else {
            match rest.as_bytes().first()? {
                b's' => (1_000, 1),
                b'm' => (60_000, 1),
                b'h' => (3_600_000, 1),
                b'd' => (86_400_000, 1),
                b'y' => (365 * 86_400_000, 1),
                _ => return None,
            }
        };
        rest = &rest[len..];
        total += (n * unit as f64).round() as Millis;
        grain = unit;
    }
    Some((total, grain))
}

/// A token split into the text around its duration: `(63s` → `(`, 63 s, ``.
fn split_duration(token: &str) -> Option<(&str, (Millis, Millis), &str)> {
    let start = token.find(|c: char| c.is_ascii_digit())?;
    let prefix = &token[..start];
    if !prefix.chars().all(|c| "(<[".contains(c)) {
        return None;
    }
    let end = token.rfind(|c: char| c.is_ascii_alphanumeric()).map(|e| e + 1)?;
    let suffix = &token[end..];
    if !suffix.chars().all(|c| ")>],".contains(c)) {
        return None;
    }
    Some((prefix, duration_of(&token[start..end])?, suffix))
}

/// Whether two masked lines agree: the same indentation, the same words, durations within
/// `tolerance` (plus the coarser of their granularities, less a millisecond: `10m` stands for
/// 600 to 659 s). Runs of spaces between words are not compared, since a tolerated age of
/// another width moves kubectl's columns.
pub fn lines_agree(expected: &str, actual: &str, tolerance: Millis) -> bool {
    if expected == actual {
        return true;
    }
    let indent = |s: &str| s.len() - s.trim_start().len();
    if indent(expected) != indent(actual) {
        return false;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.split_whitespace().collect(), actual.split_whitespace().collect());
    e.len() == a.len()
        && e.iter().zip(&a).all(|(x, y)| {
            x == y
                || match (split_duration(x), split_duration(y)) {
                    (Some((p1, (d1, g1), s1)), Some((p2, (d2, g2), s2))) => {
                        p1 == p2 && s1 == s2 && d1.abs_diff(d2) < tolerance + g1.max(g2)
                    }
                    _ => false,
                }
        })
}

/// One line of a comparison: the same, only in the transcript, only in the simulation, or
/// lines of the simulation a transcript's `...` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Transcript(String),
    Simulation(String),
    /// The simulation's lines a transcript's `...` stood for.
    Elided(Vec<String>),
}

/// Compares a capture with the simulation's text (both masked): `None` when they agree, else
/// the lines, aligned. A transcript line `...` matches any run of lines (the source's excerpt).
pub fn compare_texts(expected: &str, actual: &str, tolerance: Millis) -> Option<Vec<DiffLine>> {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let (n, m) = (e.len(), a.len());
    if n.saturating_mul(m) > 16_000_000 {
        // Too large to align: line by line.
        let same = n == m && e.iter().zip(&a).all(|(x, y)| lines_agree(x, y, tolerance));
        return (!same).then(|| {
            e.iter().map(|l| DiffLine::Transcript(l.to_string())).chain(a.iter().map(|l| DiffLine::Simulation(l.to_string()))).collect()
        });
    }
    let w = m + 1;
    let mut cost = vec![0u32; (n + 1) * w];
    let at = |i: usize, j: usize| i * w + j;
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            cost[at(i, j)] = if i == n {
                (m - j) as u32
            } else if e[i] == "..." {
                if j == m {
                    cost[at(i + 1, j)]
                } else {
                    cost[at(i + 1, j)].min(cost[at(i, j + 1)])
                }
            } else if j == m {
                cost[at(i + 1, j)] + 1
            } else {
                let skip = cost[at(i + 1, j)].min(cost[at(i, j + 1)]) + 1;
                if lines_agree(e[i], a[j], tolerance) {
                    skip.min(cost[at(i + 1, j + 1)])
                } else {
                    skip
                }
            };
        }
    }
    if cost[at(0, 0)] == 0 {
        return None;
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && e[i] == "..." {
            let mut k = j;
            while k < m && cost[at(i, k)] != cost[at(i + 1, k)] {
                k += 1;
            }
            out.push(DiffLine::Elided(a[j..k].iter().map(|l| l.to_string()).collect()));
            j = k;
            i += 1;
        } else if i < n && j < m && lines_agree(e[i], a[j], tolerance) && cost[at(i, j)] == cost[at(i + 1, j + 1)] {
            out.push(DiffLine::Same(a[j].to_string()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || cost[at(i, j)] == cost[at(i + 1, j)] + 1) {
            out.push(DiffLine::Transcript(e[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Simulation(a[j].to_string()));
            j += 1;
        }
    }
    Some(unelide(out))
}

/// For the eye only (the verdict is made): when a `...` is followed by transcript lines that
/// matched nothing, the simulation's last lines under the `...` are shown against them, so
/// that a differing section reads as `-` and `+` blocks rather than as a deletion beside a
/// silent elision.
fn unelide(lines: Vec<DiffLine>) -> Vec<DiffLine> {
    let mut out: Vec<DiffLine> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let DiffLine::Elided(elided) = &lines[i] {
            let missing = lines[i + 1..].iter().take_while(|l| matches!(l, DiffLine::Transcript(_))).count();
            let shown = missing.min(elided.len());
            let (kept, tail) = elided.split_at(elided.len() - shown);
            out.push(DiffLine::Elided(kept.to_vec()));
            out.extend(lines[i + 1..i + 1 + missing].iter().cloned());
            out.extend(tail.iter().map(|l| DiffLine::Simulation(l.clone())));
            i += 1 + missing;
            continue;
        }
        out.push(lines[i].clone());
        i += 1;
    }
    out
}

/// A unified-diff-like view of an alignment: `-` the transcript, `+` the simulation, three
/// lines of context, `@@` between hunks.
pub fn render_diff(lines: &[DiffLine]) -> String {
    let changed: Vec<bool> = lines.iter().map(|l| matches!(l, DiffLine::Transcript(_) | DiffLine::Simulation(_))).collect();
    let near = |i: usize| (i.saturating_sub(3)..(i + 4).min(lines.len())).any(|k| changed[k]);
    let mut out = String::new();
    let mut gap = false;
    for (i, l) in lines.iter().enumerate() {
        if !near(i) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push_str("@@\n");
        }
        gap = false;
        match l {
            DiffLine::Same(s) => out.push_str(&format!(" {s}\n")),
            DiffLine::Transcript(s) => out.push_str(&format!("-{s}\n")),
            DiffLine::Simulation(s) => out.push_str(&format!("+{s}\n")),
            DiffLine::Elided(k) => out.push_str(&format!(" ... ({} lines the source left out)\n", k.len())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_take_out_what_differs_between_clusters() {
        let m = Masks { namespace: Some(("podplay-x".into(), "default".into())), nodes: vec!["kind-control-plane".into()] };
        let line =
            "  Normal  Scheduled  5s  default-scheduler  Successfully assigned podplay-x/web-7c5ddbdf54-x7zvf to kind-control-plane\n";
        assert_eq!(mask(line, &m), "  Normal  Scheduled  5s  default-scheduler  Successfully assigned default/web-<gen>-<gen> to <node>\n");
        assert_eq!(mask("IP:  10.244.0.5\n", &m), "IP:  <ip>\n");
        assert_eq!(mask("Node: kind-control-plane/172.18.0.2\n", &m), "Node: <node>/<ip>\n");
        assert_eq!(mask("    Container ID:  containerd://b4eff5db8b1d\n", &m), "    Container ID:  <container-id>\n");
        assert_eq!(mask("    Image ID:      docker.io/library/busybox@sha256:6a3c\n", &m), "    Image ID:      <image-id>\n");
        assert_eq!(mask("Start Time:  Mon, 05 Jan 2026 09:00:00 +0000\n", &m), "Start Time:  <time>\n");
        assert_eq!(mask("Labels: pod-template-hash=7874c8b6f\n", &m), "Labels: pod-template-hash=<gen>\n");
        assert_eq!(mask("uid: 0b5b3b2c-1111-2222-3333-444455556666\n", &m), "uid: <uid>\n");
        assert_eq!(mask("from kube-api-access-j4msr (ro)\n", &m), "from kube-api-access-<gen> (ro)\n");
        assert_eq!(
            mask("Back-off restarting failed container app in pod crashloop-demo-c6dd8b4d4-q4nq2_default(bcebf625-0302-4ff8-8372-1070ebebd352)\n", &m),
            "Back-off restarting failed container app in pod crashloop-demo-<gen>-<gen>_default(<uid>)\n"
        );
        assert_eq!(
            mask("Successfully pulled image \"busybox\" in 1.2s (3.4s including waiting). Image size: 2160406 bytes.\n", &m),
            "Successfully pulled image \"busybox\" in <duration> (<duration> including waiting). Image size: <size> bytes.\n"
        );
        // Names a person wrote stay.
        assert_eq!(mask("liveness-exec container-live-httpget node-1 web-0\n", &m), "liveness-exec container-live-httpget node-1 web-0\n");
    }

    #[test]
    fn ages_agree_within_the_tolerance_and_their_granularity() {
        assert!(lines_agree("x   57s", "x   59s", 3_000));
        assert!(!lines_agree("x   57s", "x   61s", 3_000));
        assert!(lines_agree("a  4 (63s ago)  2m30s", "a  4 (65s ago)  2m31s", 3_000));
        assert!(!lines_agree("a  4 (63s ago)", "a  5 (63s ago)", 3_000));
        assert!(lines_agree("x  11m", "x  10m59s", 3_000));
        assert!(lines_agree("x  (x3 over 2m23s)", "x  (x3 over 2m21s)", 3_000));
        assert!(!lines_agree("x  (x3 over 2m23s)", "x  (x4 over 2m23s)", 3_000));
        assert!(!lines_agree("  x", "x", 3_000));
    }

    #[test]
    fn an_excerpt_matches_the_lines_it_left_out() {
        assert_eq!(compare_texts("a\n...\nd\n", "a\nb\nc\nd\n", 0), None);
        assert_eq!(compare_texts("...\nc\n", "a\nb\nc\n", 0), None);
        let d = compare_texts("a\nx\n", "a\ny\n", 0).unwrap();
        assert_eq!(render_diff(&d), " a\n-x\n+y\n");
    }

    #[test]
    fn a_transcript_reads_back() {
        let text = "podplay-transcript: 1\nsource: https://example.org/x\nrelease: v1.29.2\nnode: minikube\ntolerance: 10s: the page's ages were taken by hand\n=== manifest\napiVersion: v1\n=== at 35s: kubectl get pods ### differs: theme 2: later\nNAME\n=== step at 1.5s: kubectl delete pod x\npod \"x\" deleted\n";
        let t = parse(text).unwrap();
        assert_eq!((t.release.as_str(), t.tolerance, t.nodes.len()), ("v1.29.2", 10_000, 1));
        assert_eq!(t.manifest, "apiVersion: v1\n");
        assert_eq!(t.captures[0].differs.as_deref(), Some("theme 2: later"));
        assert_eq!((t.captures[1].at, t.captures[1].step), (1_500, true));
        assert!(parse("podplay-transcript: 1\nsource: x\nrelease: 1.30\ntolerance: 9s\n=== manifest\n").is_err());
    }
}
