//! Golden tests: each `tests/golden/*.txt` file at the workspace top starts with the command
//! line it checks, e.g.
//!
//!     $ podplay kubectl liveness-exec.yaml --at 10s -- get pods
//!
//! (file names relative to `tests/scenarios/`), followed by exactly what the command must print
//! on stdout (and then stderr). `PODPLAY_BLESS=1 cargo test` rewrites the files from the
//! current output, for review in the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace top")
}

fn run_case(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let (header, expected) = text.split_once('\n').ok_or("empty golden file")?;
    let line = header.strip_prefix("$ podplay ").ok_or("golden file must start with `$ podplay `")?;
    let words = podplay_kubectl::split_command_line(line)?;
    let scenarios = top().join("tests/scenarios");
    let args: Vec<String> =
        words.iter().map(|w| if w.ends_with(".yaml") { scenarios.join(w).to_string_lossy().into_owned() } else { w.clone() }).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_podplay")).args(&args).output().map_err(|e| e.to_string())?;
    let mut actual = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&scenarios.to_string_lossy().into_owned(), "");
    if !stderr.is_empty() {
        actual.push_str("--- stderr\n");
        actual.push_str(stderr.trim_start_matches('/'));
    }
    if std::env::var_os("PODPLAY_BLESS").is_some() {
        std::fs::write(file, format!("{header}\n{actual}")).map_err(|e| e.to_string())?;
        return Ok(());
    }
    if actual != expected {
        return Err(format!("{}\n--- expected\n{expected}--- actual\n{actual}", file.display()));
    }
    Ok(())
}

#[test]
fn golden_outputs_match() {
    let dir = top().join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden files in {}", dir.display());
    let failures: Vec<String> = files.iter().filter_map(|f| run_case(f).err()).collect();
    assert!(failures.is_empty(), "{} of {} golden files differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}
