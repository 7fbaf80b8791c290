//! The corpus of real-cluster transcripts (`tests/transcripts/*.txt`, format in
//! `podplay_kubectl::transcript`): each capture is compared with podplay's simulation of the
//! same manifest at the same moment on the same release, after masking, with the transcript's
//! tolerance on ages. A capture marked `### differs: ...` is a known difference and must still
//! differ (a fix shows here, and the mark goes); every other capture must agree.
//! `docs/fidelity.md` lists every transcript.

use std::path::{Path, PathBuf};
use std::process::Command;

use podplay_kubectl::transcript::parse;
use podplay_session::compare::compare;

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace top")
}

fn transcripts() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(top().join("tests/transcripts"))
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_transcript_agrees_or_differs_as_it_says() {
    let files = transcripts();
    assert!(!files.is_empty());
    let fidelity = std::fs::read_to_string(top().join("docs/fidelity.md")).expect("docs/fidelity.md");
    let mut failures = Vec::new();
    let (mut agreeing, mut known) = (0, 0);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let t = match parse(&text) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if !(t.source.contains("https://") || t.source.starts_with("recorded with record-script")) {
            failures.push(format!("{name}: the source must be a URL or \"recorded with record-script\""));
        }
        if !fidelity.contains(&name) {
            failures.push(format!("{name}: not listed in docs/fidelity.md"));
        }
        if t.captures.is_empty() {
            failures.push(format!("{name}: no captures"));
        }
        let report = match compare(&t, &name) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for c in &report.captures {
            match (&c.diff, &c.known_difference) {
                (None, None) => agreeing += 1,
                (Some(_), Some(_)) => known += 1,
                (Some(diff), None) => failures.push(format!("{name}:{}: {} at {}ms differs:\n{diff}", c.line, c.command, c.at)),
                (None, Some(why)) => failures.push(format!(
                    "{name}:{}: {} now agrees, but is marked as a known difference ({why}): remove the mark and update docs/fidelity.md",
                    c.line, c.command
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{} transcripts: {agreeing} captures agree, {known} differ as recorded", files.len());
}

#[test]
fn compare_exits_0_when_every_capture_agrees_and_1_otherwise() {
    let mut seen = (false, false);
    for file in transcripts() {
        let t = parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let differs = t.captures.iter().any(|c| c.differs.is_some());
        if (differs && seen.1) || (!differs && seen.0) {
            continue;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_podplay")).arg("compare").arg(&file).output().expect("podplay runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        if differs {
            assert_eq!(out.status.code(), Some(1), "{stdout}");
            assert!(stdout.contains("--- transcript (masked)\n+++ podplay ") && stdout.contains("\n-"), "{stdout}");
            seen.1 = true;
        } else {
            assert_eq!(out.status.code(), Some(0), "{stdout}");
            assert!(stdout.ends_with("0 of ") || stdout.contains("\n0 of ") || stdout.starts_with("0 of "), "{stdout}");
            seen.0 = true;
        }
    }
    assert!(seen.0 && seen.1, "the corpus has transcripts that agree and ones that differ");
    let out = Command::new(env!("CARGO_BIN_EXE_podplay")).args(["compare", "no-such-transcript.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
